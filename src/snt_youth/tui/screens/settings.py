"""Settings: where worksheets and exports are saved, remembered between runs."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static

from snt_youth import locations
from snt_youth.errors import SntError
from snt_youth.private_files import ensure_private_folder
from snt_youth.tui.screens.base import BookScreen


class SettingsScreen(BookScreen):
    """The output folder: type a folder and press Enter; Escape goes back unchanged."""

    HELP = """\
## Settings

**Output folder**: where worksheets and quarterly exports are saved. It starts as a
private folder in your snt-youth data folder, never the folder the app was started
in. Type another folder and press **Enter**: it is made if needed, kept private,
and remembered.

**Escape** goes back without changing anything.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="settings.back", tooltip="Back, changing nothing"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="settings"):
            yield Static("[b]Settings[/b]", id="settings-title")
            yield Static("Output folder for worksheets and exports", id="settings-label")
            yield Input(value=str(self.snt.settings.output_dir), id="settings-output")
            yield Static(
                f"Default: {escape(str(locations.default_output_dir()))}\n"
                "Enter saves. Files written there are private to you.",
                id="settings-hint",
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#settings-output")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        folder = Path(text).expanduser() if text else locations.default_output_dir()
        try:
            folder = ensure_private_folder(folder.resolve())
            self.snt.settings.output_dir = folder
            self.snt.settings.save()
        except SntError as exc:
            self.show_error(exc)
            return
        self.notify(f"Worksheets and exports go to {folder}.", title="Saved")
        self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()
