"""Counting in words for the screens: "1 offer", "2 offers", never "1 offer(s)"."""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "person": "people", "young person": "young people"}


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, with the noun plural unless the count is one."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} {_IRREGULAR.get(noun, noun + 's')}"
