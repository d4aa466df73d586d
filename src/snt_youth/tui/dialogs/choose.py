"""Choose one of several options, as a modal screen with the chosen id (or None)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ChooseDialog(ModalScreen[str | None]):
    """A titled list; Enter chooses, Escape cancels (None). Digits 1-9 choose at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Go back"),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], *, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="dialog-text")
            yield OptionList(
                *(
                    Option(f"{n}  {label}" if n <= 9 else f"   {label}", id=key)
                    for n, (key, label) in enumerate(self.options, start=1)
                ),
                id="choices",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.options:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: object) -> None:
        character = getattr(event, "character", None)
        if character and character.isdigit() and character != "0":
            index = int(character) - 1
            if index < len(self.options):
                self.dismiss(self.options[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
