"""The command palette (Ctrl+P): the current screen's commands, then the app's.

Commands come from the bindings of the screen the palette was opened on, so the
palette always offers what that screen can do, with the binding's tooltip as help.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from snt_youth.tui.keys import bindings_of


def _screen_bindings(screen: Screen[object]) -> Iterator[Binding]:
    seen: set[str] = set()
    for node in (screen, screen.app):
        for binding in bindings_of(node):  # the bindings after any key remapping
            # Only the app's own bindings (with an id): not Textual's focus and copy keys.
            if binding.description and binding.id and binding.action not in seen:
                seen.add(binding.action)
                yield binding


class ScreenCommands(Provider):
    """Offer the current screen's actions (and the app's) as palette commands."""

    def _commands(self) -> list[tuple[str, str, str, Screen[object] | None]]:
        screen = self.screen
        found: list[tuple[str, str, str, Screen[object] | None]] = []
        for binding in _screen_bindings(screen):
            if binding.action == "command_palette":
                continue
            key = self.app.get_key_display(binding)
            target: Screen[object] | None = None if binding.action in _APP_ACTIONS else screen
            found.append(
                (f"{binding.description} ({key})", binding.tooltip, binding.action, target)
            )
        return found

    async def _run(self, action: str, target: Screen[object] | None) -> None:
        if target is None:
            await self.app.run_action(action)
        else:
            await target.run_action(action)

    async def discover(self) -> Hits:
        for text, help_text, action, target in self._commands():
            yield DiscoveryHit(text, partial(self._run, action, target), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, action, target in self._commands():
            score = matcher.match(f"{text} {help_text}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._run, action, target),
                    help=help_text,
                )


_APP_ACTIONS = {"help", "quit", "privacy"}
