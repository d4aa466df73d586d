"""The young person's last page: "Thank you", and nothing else.

The summary (levels, routes, support) is for the officer. This page stands between
the last question and that summary, so the young person never sees it: only a
deliberate key, named for the officer in small print, hands the screen back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from snt_youth.tui.keys import key_in_words


class ThankYouScreen(Screen[bool]):
    """Calm and plain; the hand-back key dismisses it with True, Escape with False."""

    HELP = """\
## Thank you

This page is for the young person: it shows no outcome.

- **Ctrl+O** hands the screen back to you and shows the summary. Turn the screen
  towards you first.
- **Escape** goes back to the questions.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+o",
            "hand_back",
            "Officer",
            id="thanks.officer",
            show=False,
            tooltip="Hand the screen back to the officer and show the summary",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="thanks.back",
            show=False,
            tooltip="Back to the questions",
        ),
    ]

    def compose(self) -> ComposeResult:
        with Middle(id="thanks"):
            with Center():
                yield Static("Thank you.", id="thanks-big")
            with Center():
                yield Static("That is all the questions.", id="thanks-text")
            with Center():
                yield Static("", id="thanks-officer")

    def on_mount(self) -> None:
        key = key_in_words(self, "hand_back")
        self.query_one("#thanks-officer", Static).update(f"Officer: {key} when the screen is yours")

    def action_hand_back(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
