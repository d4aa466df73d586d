"""Rectification: how a correction to a record is checked and written in the audit trail.

Every correction names a reason, and its audit event holds the reason and, for each
field changed, the old and the new value (as JSON values, so they read back exactly).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from snt_youth.casebook.text import check_free_text
from snt_youth.errors import InvalidInput


def amendment_reason(reason: str, what: str) -> str:
    """The reason for a correction, tidied; InvalidInput when there is none."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput(f"Correcting {what} needs a reason (--reason).")
    return " ".join(check_free_text(reason, "The reason").split())


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for each field whose value differs, in name order."""
    return [
        (name, before.get(name), after[name])
        for name in sorted(after)
        if _value(before.get(name)) != _value(after[name])
    ]


def amendment_detail(reason: str, changes: list[tuple[str, Any, Any]]) -> str:
    """The audit detail of a correction: the reason, then each field's old and new value."""
    parts = [f"reason: {reason}"]
    for name, old, new in changes:
        parts.append(
            f"{name}: {json.dumps(_value(old), ensure_ascii=False)} -> "
            f"{json.dumps(_value(new), ensure_ascii=False)}"
        )
    return "; ".join(parts)


def nothing_changed(what: str) -> InvalidInput:
    return InvalidInput(f"Nothing to correct: the new values of {what} are the ones stored.")


__all__ = ["amendment_detail", "amendment_reason", "changed_fields", "nothing_changed"]
