"""Type one line of text, as a modal screen with the text (or None)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static

from snt_youth.tui.dialogs.titled import TitledDialog


class PromptDialog(TitledDialog):
    """Enter gives the text typed; Escape cancels (None)."""

    def __init__(
        self, title: str, *, value: str = "", placeholder: str = "", note: str = ""
    ) -> None:
        super().__init__(title, note=note)
        self.value = value
        self.placeholder = placeholder

    def body(self) -> ComposeResult:
        yield Input(value=self.value, placeholder=self.placeholder, id="prompt")
        yield Static("Enter to keep, Escape to cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
