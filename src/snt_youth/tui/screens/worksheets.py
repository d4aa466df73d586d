"""Worksheets: choose one, for a young person or blank, and render the PDF in a worker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from snt_youth.errors import SntError
from snt_youth.tui.messages import FileWritten, WorkFailed
from snt_youth.tui.screens.base import BookScreen


def safe_file_name(text: str) -> str:
    """A file name from a worksheet name and case reference (no path separators)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "worksheet"


#: The copies of a worksheet with a take-home copy, in the order **t** steps through
#: them: (take_home, first_name, how the title shows it).
COPIES: tuple[tuple[bool, bool, str], ...] = (
    (False, False, "officer's copy"),
    (True, False, "take-home, no name"),
    (True, True, "take-home, first name"),
)


class WorksheetsScreen(BookScreen):
    """Worksheets to print, blank or for the young person (prefilled where possible)."""

    HELP = """\
## Worksheets

Choose a worksheet and press **Enter** to make the PDF. It is made in the background;
the path of the file is shown when it is ready.

- **p** switches between printing for this young person and a blank sheet.
- **c** switches the cream background on or off; **l** large print.
- **t** chooses the copy of a safety plan: the officer's file copy, a take-home copy
  with no name, or a take-home copy with the young person's first name. A take-home
  copy has no case reference and no marking, so it is safer to keep at home. Ask the
  young person whether they want their name on it. The choice is recorded in the audit.
- A matrix worksheet for a young person is prefilled with their last session.
- A printout with personal data is marked OFFICIAL-SENSITIVE on every page.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "render",
            "Make PDF",
            id="worksheets.render",
            tooltip="Make the PDF of the selected worksheet",
        ),
        Binding(
            "p",
            "toggle_person",
            "Person/blank",
            id="worksheets.person",
            tooltip="Print for this young person or blank",
        ),
        Binding(
            "c",
            "toggle_cream",
            "Cream",
            id="worksheets.cream",
            tooltip="Cream background on or off",
        ),
        Binding(
            "l",
            "toggle_large",
            "Large print",
            id="worksheets.large",
            tooltip="Large print on or off",
        ),
        Binding(
            "t",
            "toggle_copy",
            "Copy",
            id="worksheets.copy",
            tooltip="Officer's copy, or a take-home copy with or without the first name",
        ),
        Binding("escape", "back", "Back", id="worksheets.back", tooltip="Go back"),
    ]

    def __init__(self, case_ref: str | None) -> None:
        super().__init__()
        self.case_ref = case_ref
        self.for_person = case_ref is not None
        self.cream = False
        self.large = False
        self.copy = 0  # an index into COPIES
        self.sheets: list[Any] = []
        self.last_path: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="ws-title")
        with Horizontal(id="ws-body"):
            yield OptionList(id="ws-list")
            yield Static("", id="ws-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        from snt_youth.printing import worksheets

        try:
            self.sheets = worksheets.list_worksheets()
        except SntError as exc:
            self.show_error(exc)
            self.sheets = []
        options = self.query_one("#ws-list", OptionList)
        for sheet in self.sheets:
            options.add_option(Option(f"{sheet.title} ({sheet.name})", id=sheet.name))
        if self.sheets:
            options.highlighted = 0
        options.focus()
        self._show()

    def _sheet(self) -> Any:
        options = self.query_one("#ws-list", OptionList)
        index = options.highlighted
        if index is None or not self.sheets:
            return None
        return self.sheets[index]

    def on_option_list_option_highlighted(self) -> None:
        self._show()

    def on_option_list_option_selected(self) -> None:
        self.action_render()

    def _show(self) -> None:
        who = (
            f"for {self.case_ref}"
            if self.for_person and self.case_ref
            else "blank (no personal data)"
        )
        sheet = self._sheet()
        copy = ""
        if self._for_person(sheet) and sheet.has_take_home:
            copy = COPIES[self.copy][2]
        options = [
            who,
            copy,
            "cream" if self.cream else "white",
            "large print" if self.large else "",
        ]
        self.query_one("#ws-title", Static).update(
            "[b]Worksheets[/b] · " + " · ".join(escape(o) for o in options if o)
        )
        lines = []
        if sheet is not None:
            lines = [
                f"[b]{escape(sheet.title)}[/b]",
                f"For: {sheet.audience}",
                "",
                escape(sheet.description),
            ]
            if self.for_person and not sheet.needs_young_person:
                lines += ["", "This worksheet is always printed blank."]
        if self.last_path is not None:
            lines += ["", "[b]Last file:[/b]", escape(str(self.last_path))]
        self.query_one("#ws-detail", Static).update("\n".join(lines))

    def action_toggle_person(self) -> None:
        if self.case_ref is None:
            self.notify("Open a young person first to print for them.")
            return
        self.for_person = not self.for_person
        self._show()

    def _for_person(self, sheet: Any) -> bool:
        return bool(sheet is not None and self.for_person and sheet.needs_young_person)

    def action_toggle_copy(self) -> None:
        sheet = self._sheet()
        if not (self._for_person(sheet) and sheet.has_take_home):
            self.notify("Only a safety plan printed for a young person has a take-home copy.")
            return
        self.copy = (self.copy + 1) % len(COPIES)
        self._show()

    def action_toggle_cream(self) -> None:
        self.cream = not self.cream
        self._show()

    def action_toggle_large(self) -> None:
        self.large = not self.large
        self._show()

    def action_render(self) -> None:
        sheet = self._sheet()
        if sheet is None:
            return
        case_ref = self.case_ref if self._for_person(sheet) else None
        take_home, first_name, _ = COPIES[self.copy]
        if case_ref is None or not sheet.has_take_home:
            take_home = first_name = False
        if take_home:  # the file name is seen too: keep the case reference out of it
            name = safe_file_name(f"{sheet.name}-take-home")
        else:
            name = safe_file_name(f"{sheet.name}-{case_ref}" if case_ref else sheet.name)
        target = self.snt.output_dir / f"{name}.pdf"
        self.notify(f"Making {target.name}...", timeout=3)
        self.render_pdf(sheet, case_ref, target, take_home, first_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="worksheet")
    def render_pdf(
        self,
        sheet: Any,
        case_ref: str | None,
        target: Path,
        take_home: bool = False,
        first_name: bool = False,
    ) -> None:
        """Render in a thread (WeasyPrint takes a second or so) and report back."""
        from snt_youth.printing import worksheets
        from snt_youth.private_files import ensure_private_folder, write_private

        try:
            person = session = None
            if case_ref is not None:
                person = self.book.young_person(case_ref)
                session = self.book.worksheet_prefill(case_ref, sheet.prefill_matrix_id)
            config = self.book.config if "instrument" in sheet.spec.needs else None
            prepared = worksheets.prepare(
                sheet,
                young_person=person,
                session=session,
                cream=self.cream,
                large_print=self.large,
                config=config,
                take_home=take_home,
                first_name=first_name,
            )
            pdf = worksheets.pdf_from(prepared)
            ensure_private_folder(target.parent)
            write_private(target, pdf)
            worksheets.audit_print(self.book, prepared)
        except (SntError, OSError) as exc:
            self.post_message(WorkFailed(str(exc)))
            return
        self.post_message(FileWritten(target, sheet.title))

    def on_file_written(self, message: FileWritten) -> None:
        self.last_path = message.path
        self.notify(f"{message.what}: {message.path}", title="PDF ready", timeout=10)
        self._show()

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        self.show_error(message.text)

    def action_back(self) -> None:
        self.app.pop_screen()
