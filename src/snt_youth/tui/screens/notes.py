"""Case notes, checked live by the recording-language check as they are written.

Nothing typed is lost: the note in progress is kept in the app's private drafts
file as it is typed (``note:CASE_REF``), comes back when the screen opens again (even
after a restart or ``kill -9``), and is forgotten only when it is saved or the officer
says to throw it away.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static, TextArea

from snt_youth.errors import SntError
from snt_youth.tui.dialogs.choose import ChooseDialog
from snt_youth.tui.dialogs.confirm import ConfirmDialog
from snt_youth.tui.screens.base import BookScreen
from snt_youth.tui.words import plural


def note_key(case_ref: str) -> str:
    """Where a note in progress waits in the drafts file."""
    return f"note:{case_ref}"


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
- **Escape** goes back. If a note is typed and not saved, you are asked whether to
  keep it as a draft (it comes back next time, even after a restart) or throw it away.
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
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#notes-list", DataTable)
        table.add_column("Date", width=10)
        table.add_column("By", width=14)
        table.add_column("Note")
        self._load_notes()
        kept = self.snt.drafts.get(note_key(self.case_ref))
        editor = self.query_one(TextArea)
        if kept:
            editor.text = kept
            self.notify("Your unsaved note is back, as you left it.", title="Draft note")
        editor.focus()
        self._check()

    def _load_notes(self) -> None:
        table = self.query_one("#notes-list", DataTable)
        table.clear()
        for note in reversed(self.book.notes(self.case_ref)):
            table.add_row(note.written_on.isoformat(), note.author, note.text.splitlines()[0])

    def on_text_area_changed(self) -> None:
        try:
            self.snt.drafts.keep(note_key(self.case_ref), self.query_one(TextArea).text)
        except SntError as exc:
            self.show_error(exc)
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
                f"The check found {plural(len(self.findings), 'piece')} of wording to "
                "reconsider. "
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
        self.snt.drafts.forget(note_key(self.case_ref))
        self._load_notes()
        self.notify("Note saved.", title="Saved")

    def action_back(self) -> None:
        if not self.query_one(TextArea).text.strip():
            self.app.pop_screen()
            return

        def chosen(choice: str | None) -> None:
            if choice == "keep":
                self.notify("The note is kept as a draft.", title="Draft note")
                self.app.pop_screen()
            elif choice == "discard":
                self.snt.drafts.forget(note_key(self.case_ref))
                self.app.pop_screen()

        self.app.push_screen(
            ChooseDialog(
                "This note is not saved yet",
                [
                    ("keep", "Keep it as a draft and go back (it comes back next time)"),
                    ("discard", "Throw it away and go back"),
                    ("edit", "Keep editing"),
                ],
            ),
            chosen,
        )
