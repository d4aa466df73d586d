"""Bindings as the user has them: after the service's ``[keys]`` remapping.

Textual applies the keymap when it looks up a key, not to a node's own bindings, so
help, the command palette and any "press ..." text read the bindings through here.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode


def bindings_of(node: DOMNode) -> Iterator[Binding]:
    """The node's bindings, with any remapped keys."""
    bindings = node._bindings.copy()
    keymap = node.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)
    for _key, binding in bindings:
        yield binding


def key_in_words(node: DOMNode, action: str) -> str:
    """The (first) key for one of the node's actions, for a sentence: "Ctrl+R", "F5", "o"."""
    for binding in bindings_of(node):
        if binding.action == action:
            key = binding.key.split(",")[0].strip()
            if len(key) == 1:
                return key
            return "+".join(part.capitalize() for part in key.split("+"))
    return action
