"""The privacy screen: a neutral page that hides everything at once."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static


class PrivacyScreen(Screen[None]):
    """Nothing personal, nothing alarming: shown by the privacy key (F12 by default).

    The same key brings the previous screen back exactly as it was. While this screen
    is up, every other key does nothing (see ``SntApp.check_action``).
    """

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static("Paused", id="privacy-text")
