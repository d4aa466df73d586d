"""What the choose and prompt dialogs share: a title, an optional note, Escape to cancel."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class TitledDialog(ModalScreen[str | None]):
    """A modal screen with a title and an optional note above its body; Escape gives None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Go back"),
    ]

    def __init__(self, title: str, *, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="dialog-text")
            yield from self.body()

    def body(self) -> ComposeResult:
        """The widgets under the title; each dialog overrides this with what it asks for."""
        yield from ()

    def action_cancel(self) -> None:
        self.dismiss(None)
