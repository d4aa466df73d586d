"""The full backup file: every record, versioned, restorable all-or-nothing.

The file is JSON::

    {"format": "snt-youth/backup", "format_version": 1, "schema_revision": "0001",
     "exported_at": "...", "exported_by": "...", "tables": {"young_people": [...], ...}}

A file from a newer snt-youth, from another product, or cut short is refused with
one sentence, before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from snt_youth.errors import FormatError

FORMAT = "snt-youth/backup"
FORMAT_VERSION = 1


def envelope(tables: dict[str, Any], *, schema_revision: str, at: str, by: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision,
        "exported_at": at,
        "exported_by": by,
        "tables": tables,
    }


def check(data: Any, source: str) -> dict[str, Any]:
    """The tables of a backup after checking its kind and version."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FormatError(
            f'{source} is not an snt-youth backup (no "format": "{FORMAT}"). '
            "Use a file made by 'snt-youth export'."
        )
    version = data.get("format_version")
    if not isinstance(version, int):
        raise FormatError(f"{source}: format_version is missing or not a number.")
    if version > FORMAT_VERSION:
        raise FormatError(
            f"{source} was written by a newer snt-youth (backup format {version}; this "
            f"version reads up to {FORMAT_VERSION}). Upgrade snt-youth to import it."
        )
    if "tables" not in data:
        raise FormatError(f"{source} has no 'tables'; the file is incomplete.")
    tables: dict[str, Any] = data["tables"]
    return tables


def read(path: str | Path) -> dict[str, Any]:
    """Read a backup file and check its kind and version; returns the whole document."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(f"{p}: file not found.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"{p} cannot be read ({exc}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"{p} is not complete JSON (line {exc.lineno}, column {exc.colno}): the file "
            "may be cut short or damaged. Nothing was imported."
        ) from None
    check(data, str(p))
    result: dict[str, Any] = data
    return result


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
