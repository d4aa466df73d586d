"""Case notes, checked live by the recording-language check as they are written."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static, TextArea

from snt_youth.errors import SntError
from snt_youth.tui.dialogs.confirm import ConfirmDialog
from snt_youth.tui.screens.base import BookScreen

#: Wait this long after the last keystroke before checking the wording again.
CHECK_DELAY = 0.3


def check_wording(text: str) -> list[Any]:
    """Findings from ``snt_youth.language.check`` for a note's text."""
    from snt_youth import language

    return list(language.check(text))


def findings_text(findings: list[Any]) -> str:
    if not findings:
        return "No wording to reconsider."
    lines = []
    for f in findings:
        better = f" Try: {escape(f.suggestions[0])}" if f.suggestions else ""
        lines.append(f'[b]"{escape(f.text)}"[/b] (line {f.line}): {escape(f.explanation)}{better}')
    return "\n".join(lines)


class NotesScreen(BookScreen):
    """Write a note; the wording check runs as you type; Ctrl+S saves."""

    HELP = """\
## Case notes

Write what happened. As you type, the recording-language check points out wording that
blames the survivor or the child, or hides who did what, and suggests better words.

- **Ctrl+S** saves the note (you are asked first if the check found something).
- **Escape** goes back. An unsaved note is kept on screen until you leave.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="notes.save", tooltip="Save the note"),
        Binding("escape", "back", "Back", id="notes.back", tooltip="Go back"),
    ]

    def __init__(self, case_ref: str) -> None:
        super().__init__()
        self.case_ref = case_ref
        self.findings: list[Any] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"[b]Case notes · {escape(self.case_ref)}[/b]", id="notes-title")
        yield TextArea(id="note-editor", soft_wrap=True)
        yield Static("", id="findings")
        yield DataTable(id="notes-list", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#notes-list", DataTable)
        table.add_column("Date", width=10)
        table.add_column("By", width=14)
        table.add_column("Note")
        self._load_notes()
        self.query_one(TextArea).focus()
        self._check()

    def _load_notes(self) -> None:
        table = self.query_one("#notes-list", DataTable)
        table.clear()
        for note in reversed(self.book.notes(self.case_ref)):
            table.add_row(note.written_on.isoformat(), note.author, note.text.splitlines()[0])

    def on_text_area_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(CHECK_DELAY, self._check)

    def _check(self) -> None:
        text = self.query_one(TextArea).text
        try:
            self.findings = check_wording(text) if text.strip() else []
        except SntError as exc:
            self.findings = []
            self.query_one("#findings", Static).update(escape(str(exc)))
            return
        self.query_one("#findings", Static).update(findings_text(self.findings))

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip():
            self.notify("The note is empty.")
            return
        self._check()
        if not self.findings:
            self._save(text)
            return
        self.app.push_screen(
            ConfirmDialog(
                f"The check found {len(self.findings)} piece(s) of wording to reconsider. "
                "Save the note as it is?",
                yes="Save as it is",
                no="Keep editing",
            ),
            lambda ok: self._save(text) if ok else None,
        )

    def _save(self, text: str) -> None:
        try:
            self.book.add_note(self.case_ref, text)
        except SntError as exc:
            self.show_error(exc)
            return
        self.query_one(TextArea).text = ""
        self._load_notes()
        self.notify("Note saved.", title="Saved")

    def action_back(self) -> None:
        self.app.pop_screen()
