"""Helplines printed on young people's worksheets, read from ``data/helplines.toml``.

The file carries a ``last_checked`` date that worksheets print, so anyone holding the
paper can see how fresh the numbers are. Loading validates the whole file and names
the file, key and problem on the first error.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from pathlib import Path

import attrs

from snt_youth import locations
from snt_youth.errors import ContentError

FORMAT_VERSION = 1
_NUMBER = re.compile(r"^[0-9][0-9 ]{2,}[0-9]$")
_HELPLINE_KEYS = ("id", "name", "number", "hours", "for_young_people")


@attrs.frozen
class Helpline:
    id: str
    name: str
    number: str
    hours: str
    for_young_people: str


@attrs.frozen
class Helplines:
    """The helpline list and the date someone last checked every number."""

    last_checked: dt.date
    helplines: tuple[Helpline, ...]
    source: str = ""


def helplines_path() -> Path:
    return locations.DATA_DIR / "helplines.toml"


def load_helplines(path: Path | None = None) -> Helplines:
    """The helplines from ``path`` (default: the shipped ``data/helplines.toml``)."""
    return _load(str((path or helplines_path()).resolve()))


@cache
def _load(path: str) -> Helplines:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path, "", "file not found; reinstall snt-youth") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "", f"cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML ({exc})") from None
    return parse(raw, path)


def parse(raw: dict[str, object], path: str) -> Helplines:
    """Validate the parsed TOML of a helplines file."""
    version = raw.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ContentError(
            path, "format_version", f"should be {FORMAT_VERSION}; upgrade snt-youth if newer"
        )
    checked = raw.get("last_checked")
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        raise ContentError(path, "last_checked", "should be a date such as 2026-11-23")
    entries = raw.get("helplines")
    if not isinstance(entries, list) or not entries:
        raise ContentError(path, "helplines", "add at least one [[helplines]] table")
    extra = set(raw) - {"format_version", "last_checked", "helplines"}
    if extra:
        raise ContentError(path, "", f"unknown key(s) {', '.join(sorted(extra))}")
    found: list[Helpline] = []
    for i, entry in enumerate(entries):
        where = f"helplines[{i}]"
        if not isinstance(entry, dict):
            raise ContentError(path, where, "should be a table")
        unknown = set(entry) - set(_HELPLINE_KEYS)
        if unknown:
            raise ContentError(path, where, f"unknown key(s) {', '.join(sorted(unknown))}")
        values: dict[str, str] = {}
        for key in _HELPLINE_KEYS:
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ContentError(path, f"{where}.{key}", "missing or empty; write it in quotes")
            values[key] = value.strip()
        if not _NUMBER.match(values["number"]):
            raise ContentError(
                path, f"{where}.number", "write the number with digits and spaces only"
            )
        found.append(Helpline(**values))
    return Helplines(last_checked=checked, helplines=tuple(found), source=path)
