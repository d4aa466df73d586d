"""What every screen of the app shares: the casebook, help text and error display."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.screen import Screen

from snt_youth.errors import SntError

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook
    from snt_youth.tui.app import SntApp


class BookScreen(Screen[None]):
    """A screen that works on the casebook. ``HELP`` is shown by F1 or ?."""

    HELP: ClassVar[str] = ""

    @property
    def snt(self) -> SntApp:
        return cast("SntApp", self.app)

    @property
    def book(self) -> Casebook:
        return self.snt.book

    def show_error(self, error: SntError | str) -> None:
        """An expected failure, as a calm notification that says what to do."""
        self.notify(str(error), title="Not done", severity="warning", timeout=8)
