"""The caseload: every young person, filtered as you type, by team, and sorted."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Key
from textual.widgets import Footer, Input, Static

from snt_youth.tui.messages import CaseloadLoaded
from snt_youth.tui.screens.base import BookScreen
from snt_youth.tui.widgets.caseload_table import COLUMNS, SORT_KEYS, CaseloadTable, header_line

if TYPE_CHECKING:
    from snt_youth.casebook import CaseloadRow

#: Keys typed in the filter box that move in the table instead.
_TABLE_KEYS = {"up", "down", "pageup", "pagedown"}
#: Actions that need the casebook open (it opens in a worker as the app starts).
_NEED_BOOK = {"next_team", "drafts", "worksheets", "quarter", "review", "add_person"}


class CaseloadScreen(BookScreen):
    """The table of young people; Enter opens one."""

    HELP = """\
## Caseload

Every young person on the caseload, with their last completed screening and open support.

- **Type** to filter: every word must appear in the row (reference, name, team, outcome...).
- **Up/Down, Page Up/Down** move in the table while you type. **Enter** opens the young person.
- **Escape** clears the filter.
- Rows marked *draft* have a screening in progress.
- **Ctrl+N** adds a young person; **e** on their page edits the details.
- **F8** opens the file review: the team summary of the case notes, for champions.
- **F9** opens the settings: where worksheets and exports are saved.
- Notes not yet saved are offered back when the app starts.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+t",
            "next_team",
            "Team",
            id="caseload.team",
            show=False,
            tooltip="Show one team at a time, then all teams",
        ),
        Binding(
            "ctrl+o",
            "next_sort",
            "Sort",
            id="caseload.sort",
            show=False,
            tooltip="Sort by the next column",
        ),
        Binding(
            "ctrl+r",
            "reverse",
            "Reverse",
            id="caseload.reverse",
            show=False,
            tooltip="Reverse the sort order",
        ),
        Binding(
            "f5",
            "drafts",
            "Drafts",
            id="caseload.drafts",
            tooltip="Resume a screening in progress",
        ),
        Binding(
            "f6",
            "worksheets",
            "Print",
            id="caseload.worksheets",
            tooltip="Print a blank worksheet",
        ),
        Binding(
            "f7",
            "quarter",
            "Quarter",
            id="caseload.quarter",
            tooltip="Quarterly figures for managers",
        ),
        Binding(
            "f8",
            "review",
            "Review",
            id="caseload.review",
            # Kept out of the footer, which is full; the palette and help offer it.
            show=False,
            tooltip="File review: the team summary for champions",
        ),
        Binding(
            "ctrl+n",
            "add_person",
            "Add",
            id="caseload.add",
            tooltip="Add a young person",
        ),
        Binding(
            "f9",
            "settings",
            "Settings",
            id="caseload.settings",
            show=False,
            tooltip="Settings: where worksheets and exports are saved",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear",
            id="caseload.clear",
            show=False,
            tooltip="Clear the filter",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.team: str | None = None
        self.sort_index = 0
        self.reverse = False
        self.loaded = False
        self._early_rows: list[CaseloadRow] | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type to find a young person (reference, name, team)", id="filter")
        yield Static("", id="caseload-status")
        yield Static(header_line(), id="caseload-header")
        yield CaseloadTable(id="caseload")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        box = self.query_one("#filter", Input)
        self.watch(box, "value", self._filter_changed, init=False)
        box.focus()
        self._update_status()
        if self._early_rows is not None:
            self.post_message(CaseloadLoaded(self._early_rows))
            self._early_rows = None
        elif self.snt.book_ready:
            self.load()
        # Otherwise the app is still opening the casebook: it calls book_opened.

    def on_resize(self) -> None:
        # Columns drop by priority on a narrow screen; none is cut mid-word.
        header = self.query_one(CaseloadTable).fit_columns(self.size.width - 2)
        self.query_one("#caseload-header", Static).update(header)

    def book_opened(self, rows: list[CaseloadRow]) -> None:
        """The app opened the casebook and read the caseload in its start-up worker."""
        self.refresh_bindings()
        if self.is_mounted:
            self.post_message(CaseloadLoaded(rows))
        else:
            self._early_rows = rows

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="caseload")
    def load(self) -> None:
        """Read the caseload once (in a thread); filtering then happens in memory."""
        rows = self.book.caseload()
        self.post_message(CaseloadLoaded(rows))

    def on_caseload_loaded(self, message: CaseloadLoaded) -> None:
        # Anything typed while the rows were loading applies now.
        table = self.query_one(CaseloadTable)
        if self.snt.book_ready:
            table.team_names = {t.id: t.name for t in self.book.config.teams}
        table.set_rows(message.rows)
        self.loaded = True
        table.empty_text = "No young people match. Escape clears the filter."
        if not message.rows:
            table.empty_text = "No young people on the caseload yet."
        self.refilter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Until the casebook is open, keys that need it are shown but do nothing.
        if action in _NEED_BOOK and not self.snt.book_ready:
            return None
        return True

    # -- filtering and sorting ------------------------------------------------------
    def refilter(self) -> None:
        table = self.query_one(CaseloadTable)
        table.apply(
            self.query_one("#filter", Input).value,
            team=self.team,
            sort=SORT_KEYS[self.sort_index],
            reverse=self.reverse,
        )
        self._update_status()

    def _update_status(self) -> None:
        table = self.query_one(CaseloadTable)
        team = self.book.config.team(self.team).name if self.team else "All teams"
        heading, _w, _k = COLUMNS[self.sort_index]
        order = "down" if self.reverse else "up"
        if not self.loaded:
            text = "Loading the caseload..."
        else:
            text = f"{table.shown:,} of {table.total:,} · {team} · sorted by {heading} ({order})"
        # One line, always: no layout pass of the screen on each keystroke.
        self.query_one("#caseload-status", Static).update(text, layout=False)

    def _filter_changed(self, _value: str) -> None:
        # Watched, not waited for as an Input.Changed message: the table is filtered in
        # the same moment the box changes, so both are drawn in one frame, not two.
        if self.loaded:
            self.refilter()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(CaseloadTable).action_open()

    def on_key(self, event: Key) -> None:
        # While typing in the filter, the movement keys still move the table cursor.
        if event.key in _TABLE_KEYS and self.focused is self.query_one("#filter", Input):
            table = self.query_one(CaseloadTable)
            step = -1 if event.key in ("up", "pageup") else 1
            if event.key.startswith("page"):
                table.action_page(step)
            else:
                table.action_move(step)
            event.stop()
            event.prevent_default()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.focus()

    def action_next_team(self) -> None:
        ids = [None, *(t.id for t in self.book.config.teams)]
        self.team = ids[(ids.index(self.team) + 1) % len(ids)]
        self.refilter()

    def action_next_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORT_KEYS)
        self.refilter()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.refilter()

    # -- going on -------------------------------------------------------------------------
    def on_caseload_table_opened(self, message: CaseloadTable.Opened) -> None:
        self.snt.open_young_person(message.case_ref)

    def action_drafts(self) -> None:
        self.snt.offer_drafts(always=True)

    def action_worksheets(self) -> None:
        self.snt.open_worksheets(None)

    def action_quarter(self) -> None:
        self.snt.open_quarter()

    def action_review(self) -> None:
        self.snt.open_review()

    def action_add_person(self) -> None:
        self.snt.open_person_form(None)

    def action_settings(self) -> None:
        self.snt.open_settings()
