"""Helplines printed on young people's worksheets, read from ``data/helplines.toml``.

The file carries a ``last_checked`` date that worksheets print, so anyone holding the
paper can see how fresh the numbers are. Loading (through :mod:`snt_youth.content`)
validates the whole file and names the file, key and problem on the first error.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs

from snt_youth import content, locations

FORMAT_VERSION = 1
_NUMBER = re.compile(r"^[0-9][0-9 ]{2,}[0-9]$")


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


@attrs.frozen(kw_only=True)
class _Number(content.Text):
    """A phone number: digits and single spaces."""

    def check(self, value: object, at: content.At) -> str:
        number = super().check(value, at)
        if not _NUMBER.match(number):
            at.fail("write the number with digits and spaces only")
        return number


_TEXT = content.Text(collapse=False)
_FILE = content.Table(
    fields={
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        "last_checked": content.Date(),
        "helplines": content.ListOf(
            item=content.Table(
                fields={
                    "id": content.ident(),
                    "name": _TEXT,
                    "number": _Number(collapse=False),
                    "hours": _TEXT,
                    "for_young_people": _TEXT,
                },
                build=lambda v: Helpline(**v),
            ),
            min_items=1,
            unique="id",
            noun="helpline",
        ),
    }
)


def helplines_path() -> Path:
    """The shipped helplines file."""
    return locations.DATA_DIR / "helplines.toml"


def load_helplines(path: Path | None = None) -> Helplines:
    """The helplines from ``path`` (default: the shipped ``data/helplines.toml``).

    Reused until the file changes; a bad file raises :class:`ContentError`.
    """
    return content.cached(path or helplines_path(), _read)


def _read(path: Path) -> Helplines:
    document = content.read_file(path, "toml", missing="file not found; reinstall snt-youth")
    return _build(document)


def parse(raw: dict[str, object], path: str, text: str = "") -> Helplines:
    """Validate the parsed TOML of a helplines file; ``text`` gives line numbers."""
    return _build(content.toml_document(raw, path, text))


def _build(document: content.Document) -> Helplines:
    values = _FILE.check(document.data, document.at)
    return Helplines(
        last_checked=values["last_checked"],
        helplines=values["helplines"],
        source=document.source,
    )
