"""The snt-youth terminal app and its factory.

``create_app`` is the one way to build the app: the ``snt-youth tui`` command and the
tests both call it. The app holds one :class:`~snt_youth.casebook.Casebook` and opens
screens on it; screens call the casebook, and slow work runs in thread workers that
report back with messages (see :mod:`snt_youth.tui.messages`).

Start-up: given a database URL (or an opener) rather than an open casebook, the app
paints the caseload screen at once ("Loading the caseload...") and opens the casebook
(importing SQLAlchemy, checking the schema) and reads the caseload in a worker, so
the officer can start typing a filter straight away.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from snt_youth import locations
from snt_youth.errors import SntError
from snt_youth.tui.commands import ScreenCommands
from snt_youth.tui.messages import BookOpened, DemoLoaded, DemoProgress, OpenFailed, WorkFailed
from snt_youth.tui.words import plural

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook

#: Opens the casebook (in a worker thread, so the first screen paints first).
Opener = Callable[[], "Casebook"]

#: Demo young people loaded on a first run (each takes a moment: real screenings).
DEMO_SIZE = 40


class SntApp(App[None]):
    """Screening, direct work and quarterly figures, from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "snt-youth"
    COMMANDS: ClassVar = {ScreenCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f12",
            "privacy",
            "Privacy",
            id="app.privacy",
            priority=True,
            tooltip="Hide the screen at once; press again to bring it back",
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="Help for this screen"),
        Binding(
            "question_mark",
            "help",
            "Help",
            id="app.help-alt",
            show=False,
            tooltip="Help for this screen",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Quit (every answer is already saved)",
        ),
    ]

    def __init__(
        self,
        book: Casebook | None = None,
        *,
        opener: Opener | None = None,
        output_dir: Path | None = None,
        first_run: bool = True,
        demo_size: int = DEMO_SIZE,
    ) -> None:
        """On an open ``book``, or on the one ``opener`` opens once the first screen is up."""
        super().__init__()
        if book is None and opener is None:
            raise ValueError("SntApp needs a casebook or an opener.")
        self._book = book
        self._opener = opener
        from snt_youth.tui.state import Drafts, Settings, StateFileError

        #: Why the app's own settings or drafts could not be read (told on start).
        self.state_error: str | None = None
        try:
            self.settings = Settings.load()
        except StateFileError as exc:
            self.state_error = str(exc)
            self.settings = Settings(output_dir=locations.default_output_dir())
        try:
            self.drafts = Drafts.load()
        except StateFileError as exc:
            self.state_error = str(exc)
            self.drafts = Drafts()
        if output_dir is not None:
            # Given for this run (the --output-dir option, the tests): not remembered.
            self.settings.output_dir = output_dir
        self.first_run = first_run
        self.demo_size = demo_size
        self.privacy_on = False
        #: Why the casebook could not be opened (the app then exits with code 2).
        self.open_error: str | None = None

    @property
    def output_dir(self) -> Path:
        """Where worksheets and exports are saved: a private folder, made on first use.

        The default is a folder in the user data dir, never the current folder; the
        officer can change it on the settings screen (remembered).
        """
        from snt_youth.private_files import ensure_private_folder

        return ensure_private_folder(self.settings.output_dir)

    @property
    def book(self) -> Casebook:
        """The casebook. Screens use it only once :attr:`book_ready` (see CaseloadScreen)."""
        if self._book is None:
            raise RuntimeError("The casebook is still opening.")
        return self._book

    @property
    def book_ready(self) -> bool:
        return self._book is not None

    @property
    def opened_book(self) -> Casebook | None:
        """The casebook if it is open (for closing it after the app ends)."""
        return self._book

    # -- start ------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.theme = "textual-dark"
        from snt_youth.tui.screens.caseload import CaseloadScreen

        self.push_screen(CaseloadScreen())
        if self.state_error:
            self.notify(self.state_error, title="Settings not read", severity="warning")
        if self._book is not None:
            empty = self.first_run and self._book.is_empty()
            self._start(empty)
        else:
            # After the first paint, so opening does not hold up the screen (the GIL).
            self.call_after_refresh(self.open_book)

    @work(thread=True, exclusive=True, group="open")
    def open_book(self) -> None:
        """Open the casebook and read the caseload in a thread, then post the result.

        An expected failure (a bad configuration, a database that needs upgrading) ends
        the app with its message; anything else ends it with the traceback, as before.
        """
        from snt_youth.errors import SntError

        assert self._opener is not None
        try:
            book = self._opener()
            empty = self.first_run and book.is_empty()
            rows = [] if empty else book.caseload()
        except SntError as exc:
            self.post_message(OpenFailed(str(exc)))
            return
        self.post_message(BookOpened(book, empty, rows))

    def on_book_opened(self, message: BookOpened) -> None:
        self._book = message.book
        from snt_youth.tui.screens.caseload import CaseloadScreen

        for screen in self.screen_stack:
            if isinstance(screen, CaseloadScreen):
                screen.book_opened(message.rows)
        self._start(message.empty)

    def on_open_failed(self, message: OpenFailed) -> None:
        self.open_error = message.text
        self.exit(return_code=2)

    def _start(self, empty: bool) -> None:
        """The casebook is open: keys from the configuration, then the first question."""
        if self.book.config.keys:
            self.set_keymap(dict(self.book.config.keys))
        self.sub_title = self.who_text()
        if empty:
            self._ask_first_run()
        else:
            self.offer_drafts()

    def who_text(self) -> str:
        """The header's "name, role: teams" for a named user (empty for the single
        officer of a SQLite file, whose header stays as it was)."""
        me = self.book.identity
        if me.role is None:
            return ""
        teams = "every team" if me.sees_all else ", ".join(me.teams)
        return f"{me.name}, {me.role}: {teams}"

    def _ask_first_run(self) -> None:
        from snt_youth.tui.dialogs.choose import ChooseDialog

        def chosen(choice: str | None) -> None:
            if choice == "demo":
                self.notify("Loading demo data. This takes a few seconds...", timeout=4)
                self.load_demo()

        self.push_screen(
            ChooseDialog(
                "Welcome to snt-youth",
                [
                    ("demo", "Load demo data (made-up young people) to try things out"),
                    ("clean", "Start clean: an empty caseload for real work"),
                ],
                note=f"The database is empty: {self.book.database}",
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="demo")
    def load_demo(self) -> None:
        """Load demo data in a thread, posting progress and the result."""
        from snt_youth import demo

        done = 0

        def progress(step: int) -> None:
            nonlocal done
            done += step
            self.post_message(DemoProgress(done, self.demo_size))

        try:
            counts = demo.populate(self.book, n=self.demo_size, seed=7, progress=progress)
        except SntError as exc:
            self.post_message(WorkFailed(str(exc)))
            return
        self.post_message(DemoLoaded(counts))

    def on_demo_progress(self, message: DemoProgress) -> None:
        self.sub_title = f"Loading demo data: {message.done} of {message.total}"

    def on_demo_loaded(self, message: DemoLoaded) -> None:
        self.sub_title = self.who_text()
        self.notify(f"Demo data loaded: {message.counts['young_people']} young people.")
        self._reload_caseload()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.notify(message.text, title="Not done", severity="warning", timeout=10)

    def _reload_caseload(self) -> None:
        from snt_youth.tui.screens.caseload import CaseloadScreen

        for screen in self.screen_stack:
            if isinstance(screen, CaseloadScreen):
                screen.load()

    # -- navigation (screens call these) -------------------------------------------------
    def offer_drafts(self, *, always: bool = False) -> None:
        """Offer to resume a screening in progress or an unsaved note (on start, and from
        the caseload)."""
        from snt_youth.tui.dialogs.choose import ChooseDialog

        drafts = self.book.drafts()
        notes = self.drafts.keys_of("note")
        if not drafts and not notes:
            if always:
                self.notify("No screening or note is in progress.")
            return

        def chosen(choice: str | None) -> None:
            if not choice or choice == "later":
                return
            if choice.startswith("note:"):
                self.open_notes(choice.removeprefix("note:"))
            else:
                self.open_screening(int(choice))

        options = [
            (
                str(d.id),
                f"{d.case_ref}: {d.stage.value} screening from {d.screened_on}, "
                f"{plural(len(d.answers), 'answer')} given",
            )
            for d in drafts
        ]
        options += [(f"note:{ref}", f"{ref}: a case note not saved yet") for ref in notes]
        self.push_screen(
            ChooseDialog(
                "Carry on where you left off?",
                [*options, ("later", "Not now")],
                note="These were started and not finished. Nothing typed was lost.",
            ),
            chosen,
        )

    def open_notes(self, case_ref: str) -> None:
        """The young person's notes, over their page (Escape goes back to them)."""
        from snt_youth.tui.screens.notes import NotesScreen
        from snt_youth.tui.screens.young_person import YoungPersonScreen

        self.push_screen(YoungPersonScreen(case_ref))
        self.push_screen(NotesScreen(case_ref))

    def open_young_person(self, case_ref: str) -> None:
        from snt_youth.tui.screens.young_person import YoungPersonScreen

        self.push_screen(YoungPersonScreen(case_ref))

    def open_screening(self, screening_id: int) -> None:
        """The screening, over its young person: Escape from it goes back to them."""
        from snt_youth.tui.screens.screening import ScreeningScreen
        from snt_youth.tui.screens.young_person import YoungPersonScreen

        case_ref = self.book.screening(screening_id).case_ref
        here = self.screen
        if not (isinstance(here, YoungPersonScreen) and here.case_ref == case_ref):
            self.push_screen(YoungPersonScreen(case_ref))
        self.push_screen(ScreeningScreen(screening_id))

    def open_settings(self) -> None:
        from snt_youth.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def open_person_form(self, case_ref: str | None = None) -> None:
        """Add a young person (``case_ref`` None) or edit one."""
        from snt_youth.tui.screens.person_form import PersonFormScreen

        self.push_screen(PersonFormScreen(case_ref))

    def open_worksheets(self, case_ref: str | None) -> None:
        from snt_youth.tui.screens.worksheets import WorksheetsScreen

        self.push_screen(WorksheetsScreen(case_ref))

    def open_quarter(self) -> None:
        from snt_youth.tui.screens.quarter import QuarterScreen

        self.push_screen(QuarterScreen())

    def open_review(self) -> None:
        from snt_youth.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    # -- privacy and help ------------------------------------------------------------------
    def action_privacy(self) -> None:
        """Swap to a neutral screen at once; the same key brings the work back."""
        from snt_youth.tui.screens.privacy import PrivacyScreen

        if isinstance(self.screen, PrivacyScreen):
            self.pop_screen()
            self.privacy_on = False
        else:
            self.privacy_on = True
            self.push_screen(PrivacyScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing but the privacy key works while the neutral screen is up.
        return not (self.privacy_on and action not in ("privacy", "quit"))

    def action_help(self) -> None:
        from snt_youth.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))


def create_app(
    book_or_url: Casebook | str | None = None,
    *,
    opener: Opener | None = None,
    user: str | None = None,
    config_path: str | None = None,
    output_dir: Path | None = None,
    first_run: bool = True,
    demo_size: int = DEMO_SIZE,
) -> SntApp:
    """The app on an open casebook, or on a database URL (default: the usual database).

    With a URL (or ``opener``), the casebook is opened in a worker after the first
    screen is painted; the caller closes it afterwards (``app.opened_book``).
    """
    if book_or_url is not None and not isinstance(book_or_url, str):
        return SntApp(book_or_url, output_dir=output_dir, first_run=first_run, demo_size=demo_size)
    url = book_or_url

    def open_default() -> Casebook:
        from snt_youth.casebook import Casebook

        return Casebook.open(url, user=user, config_path=config_path)

    return SntApp(
        opener=opener or open_default,
        output_dir=output_dir,
        first_run=first_run,
        demo_size=demo_size,
    )
