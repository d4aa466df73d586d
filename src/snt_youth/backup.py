"""The full backup file: every record, versioned, restorable all-or-nothing.

The file is JSON::

    {"format": "snt-youth/backup", "format_version": 1, "schema_revision": "0001",
     "exported_at": "...", "exported_by": "...", "tables": {"young_people": [...], ...}}

A file from a newer snt-youth, from another product, or cut short is refused with
one sentence, before anything is written. The envelope is read through
:mod:`snt_youth.content`; the rows are checked by the store as they are loaded.

By default the JSON is sealed (encrypted) with :mod:`snt_youth.sealed`: AES-256-GCM
with a key from the database key, or from a passphrase by scrypt. :func:`read` opens
either kind: a sealed file with the :class:`~snt_youth.sealed.Secret` given, a plain
one (``export --plain``) as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from snt_youth import content, outside_text, sealed
from snt_youth.errors import FormatError
from snt_youth.sealed import Secret

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


_TEXT = content.Text(allow_empty=True, collapse=False, default="")
_FILE = content.Table(
    fields={
        "format": content.FormatName(expected=FORMAT, what="an snt-youth backup"),
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        "schema_revision": _TEXT,
        "exported_at": _TEXT,
        "exported_by": _TEXT,
        # The rows are checked, table by table, by the store when they are loaded.
        "tables": content.Table(
            values=content.Raw(what="a list of rows"),
            missing="is missing; the file is incomplete, so nothing was imported",
        ),
    }
)
_CUT_SHORT = "the file may be cut short or damaged; nothing was imported"


def check(data: Any, source: str) -> dict[str, Any]:
    """The tables of a backup after checking its kind, version and envelope.

    A bad backup raises :class:`~snt_youth.content.ContentFormatError` (a
    ``ContentError`` and a ``FormatError``) naming the source, the key and the problem.
    """
    at = content.At(source, flavour="json", error=content.ContentFormatError)
    values = _FILE.check(data, at)
    # Broken text or a number beyond 64 bits would reach the database driver as a
    # traceback; refuse them here, naming the table, row and field. The full walk is
    # the judge; a quick screen first spares it on the usual, plain backup.
    if not _plainly_fine(values["tables"]):
        outside_text.check_tree(values["tables"], f"{source}, tables", error=FormatError)
    return dict(values["tables"])


_INT64 = (-(2**63), 2**63 - 1)


def _plainly_fine(tables: Any) -> bool:
    """True when every key is ASCII text and every value ASCII text, a number within
    64 bits, true/false or null, laid out as tables of rows. Anything else (which may
    be fine, such as an accent) goes to :func:`outside_text.check_tree`, which names
    the place and the problem. A lone surrogate is never ASCII, so it is never missed."""
    low, high = _INT64
    try:
        for name, rows in tables.items():
            if not name.isascii() or type(rows) is not list:
                return False
            for row in rows:
                for key, value in row.items():
                    kind = type(value)
                    if kind is str:
                        if not value.isascii():
                            return False
                    elif kind is int:
                        if not low <= value <= high:
                            return False
                    elif value is not None and kind is not bool and kind is not float:
                        return False
                    if not key.isascii():
                        return False
    except (AttributeError, TypeError):  # not text keys, or not rows of objects
        return False
    return True


def read(path: str | Path, secret: Secret | None = None) -> dict[str, Any]:
    """Read a backup file and check its kind and version; returns the whole document.

    A sealed file is opened with ``secret`` (a passphrase, or the database key); a
    wrong one, a damaged file and a file cut short are each one sentence. The file
    holds personal data, so it is read each time and never cached.
    """
    file = Path(path)
    source = str(file)
    try:
        with open(file, "rb") as stream:
            head = stream.read(len(sealed.MAGIC))
    except OSError:
        head = b""  # the reader below names what is wrong with the path
    if not sealed.is_sealed(head):
        document = content.read_file(
            path, "json", error=content.ContentFormatError, hint=_CUT_SHORT
        )
    else:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise FormatError(f"{source} cannot be read ({exc.strerror}).") from None
        text = content.decode(
            sealed.unseal(data, source, secret or Secret()),
            source,
            error=content.ContentFormatError,
        )
        document = content.parse_json(
            text, source, error=content.ContentFormatError, hint=_CUT_SHORT
        )
    check(document.data, document.source)
    result: dict[str, Any] = document.data
    return result


def seal(text: str, secret: Secret) -> bytes:
    """The backup text, sealed (see :mod:`snt_youth.sealed`)."""
    return sealed.seal(text.encode("utf-8"), secret)


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
