"""Choose one of several options, as a modal screen with the chosen id (or None)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from snt_youth.tui.dialogs.titled import TitledDialog


class ChooseDialog(TitledDialog):
    """A titled list; Enter chooses, Escape cancels (None). Digits 1-9 choose at once."""

    def __init__(self, title: str, options: Sequence[tuple[str, str]], *, note: str = "") -> None:
        super().__init__(title, note=note)
        self.options = list(options)

    def body(self) -> ComposeResult:
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
