"""Help for the screen underneath: what it is for, and its keys (as remapped)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

from snt_youth.tui.keys import bindings_of

GENERAL = """\
## Keys everywhere

| Key | What it does |
| --- | --- |
| F12 | Privacy: hide the screen at once. Press F12 again to come back. |
| F1 or ? | This help |
| Ctrl+P | Commands for this screen, by name |
| Escape | Back |
| Ctrl+Q | Quit. Every answer is already saved. |

Your service can change these keys in its configuration; help always shows the
keys as they are.
"""


def keys_table(screen: Screen[object]) -> str:
    """The screen's own keys as a Markdown table, showing any remapping."""
    lines = [
        "## Keys on this screen",
        "",
        "| Key | What it does |",
        "| --- | --- |",
    ]
    seen: set[str] = set()
    for binding in bindings_of(screen):
        # Only the app's own keys: Textual's defaults (focus, copy) carry no id.
        if not binding.description or not binding.id or binding.action in seen:
            continue
        seen.add(binding.action)
        key = screen.app.get_key_display(binding)
        text = binding.tooltip or binding.description
        lines.append(f"| {key} | {text} |")
    return "\n".join(lines) + "\n"


class HelpScreen(ModalScreen[None]):
    """F1 or ? shows this; Escape, F1 or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close", tooltip="Close help")
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        text = getattr(self.under, "HELP", "") or "## Help\n"
        with VerticalScroll(classes="dialog help"):
            yield Markdown(f"{text}\n{keys_table(self.under)}\n{GENERAL}")

    def action_close(self) -> None:
        self.dismiss(None)
