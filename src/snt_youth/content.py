"""The one reader for content files: TOML (and JSON) a person wrote or may edit.

Every content loader (instrument, matrix, worksheet manifest, language rules,
helplines, service configuration, session entries, backup) reads its file here and
describes its fields with the small specs of :mod:`snt_youth.content_fields` (all
importable from here); the reader does the checking:

    TEAM = Table({"id": ident(), "name": Text(), "kind": Text(choices=KINDS, default="locality")})

    document = read_file(path, "toml")
    teams = ListOf(TEAM).check(document.data["teams"], document.at.key("teams"))

The reader tracks where it is (``teams[0] (line 14).kind``) and refuses unknown keys,
wrong types, values outside a set of choices and malformed identifiers with one error
shape, :class:`~snt_youth.errors.ContentError` ``(path, where, problem)``, in words a
champion understands. It never reshapes a value: ``champions = "R. Ahmed"`` is not a
list and ``name = 42`` is not text, so both are refused by name.

One caching rule for every content file (:func:`cached`): a loaded file is reused
until the file changes (resolved path, modification time and size). Files that hold
personal data (backups, session entries) are read each time and never cached.
"""

from __future__ import annotations

import json
import re
import threading
import tomllib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import attrs

from snt_youth.content_fields import (
    IDENT,
    IDENT_HINT,
    REQUIRED,
    At,
    Boolean,
    Date,
    Either,
    Flavour,
    FormatName,
    FormatVersion,
    Integer,
    Lines,
    ListOf,
    Null,
    Raw,
    Spec,
    Table,
    Text,
    Values,
    describe_kind,
    ident,
)
from snt_youth.errors import ContentError, FormatError

__all__ = [
    "IDENT",
    "IDENT_HINT",
    "REQUIRED",
    "At",
    "Boolean",
    "ContentFormatError",
    "Date",
    "Document",
    "Either",
    "Flavour",
    "FormatName",
    "FormatVersion",
    "Integer",
    "ListOf",
    "Null",
    "Raw",
    "Spec",
    "Table",
    "Text",
    "Values",
    "cached",
    "clear_cache",
    "decode",
    "describe_kind",
    "file_stamp",
    "ident",
    "parse_json",
    "parse_toml",
    "read_file",
    "toml_document",
]

T = TypeVar("T")


class ContentFormatError(ContentError, FormatError):
    """A bad file of a kind the product also writes (a backup, a session entries file).

    It has the one content error shape, and stays a :class:`FormatError` for callers
    that catch that.
    """


# --- reading files -------------------------------------------------------------------


@attrs.frozen
class Document:
    """A parsed content file: its data and its top-level place (for checks)."""

    data: Any
    at: At

    @property
    def source(self) -> str:
        return self.at.source


def decode(data: bytes, source: str, *, error: type[ContentError] = ContentError) -> str:
    """``data`` as text, refusing anything that is not UTF-8 (a leading BOM is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(source, f"line {line}", "is not UTF-8 text; save the file as UTF-8") from None


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")


def parse_toml(
    text: str, source: str, *, error: type[ContentError] = ContentError, hint: str = ""
) -> Document:
    """Parse TOML text; a syntax error names its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_AT.search(message)
        if found and found.group(1):
            where = f"line {found.group(1)}"
        else:
            where = f"line {max(1, len(text.splitlines()))} (the end)"
        problem = message[: found.start()] if found else message
        if problem == "Illegal character '\\n'":
            problem = "a line ends inside a text in quotes; close the quotes"
        problem = problem[:1].lower() + problem[1:]
        raise error(
            source, where, f"not valid TOML ({problem}); {hint or 'check quotes and brackets'}"
        ) from None
    return Document(data, At(source, flavour="toml", lines=Lines(text), error=error))


def toml_document(
    data: Any, source: str, text: str = "", *, error: type[ContentError] = ContentError
) -> Document:
    """Already-parsed TOML ``data`` as a Document; ``text`` (the file) gives line numbers."""
    return Document(data, At(source, flavour="toml", lines=Lines(text), error=error))


def parse_json(
    text: str, source: str, *, error: type[ContentError] = ContentError, hint: str = ""
) -> Document:
    """Parse JSON text; a syntax error names its line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            source,
            f"line {exc.lineno} column {exc.colno}",
            f"not valid JSON ({exc.msg}); {hint or 'check commas, quotes and brackets'}",
        ) from None
    except RecursionError:
        raise error(source, "", "is nested too deeply to be read") from None
    return Document(data, At(source, flavour="json", error=error))


def read_file(
    path: str | Path,
    flavour: Flavour,
    *,
    error: type[ContentError] = ContentError,
    missing: str = "file not found; check the path",
    hint: str = "",
) -> Document:
    """Read and parse a TOML or JSON file; every failure is one :class:`ContentError`."""
    file = Path(path)
    source = str(file)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise error(source, "", missing) from None
    except IsADirectoryError:
        raise error(source, "", "is a folder, not a file; give the path of the file") from None
    except OSError as exc:
        raise error(source, "", f"cannot be read ({exc.strerror or exc})") from None
    text = decode(data, source, error=error)
    parse = parse_toml if flavour == "toml" else parse_json
    return parse(text, source, error=error, hint=hint)


# --- one caching rule ----------------------------------------------------------------

_CACHE_SIZE = 64
_cache: dict[tuple[Hashable, ...], Any] = {}
_cache_lock = threading.Lock()


def file_stamp(path: Path) -> tuple[str, int, int] | None:
    """``(resolved path, mtime_ns, size)`` of ``path``, or None if it cannot be seen."""
    resolved = path.resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return None
    return (str(resolved), stat.st_mtime_ns, stat.st_size)


def cached(path: Path, load: Callable[[Path], T], *extra: Hashable) -> T:
    """``load(resolved path)``, reused until the file changes (path, mtime and size).

    ``extra`` separates loads of one file that differ (for example with checks on).
    A file that cannot be read is never cached: ``load`` reports it.
    """
    stamp = file_stamp(path)
    if stamp is None:
        return load(path.resolve())
    key = (*stamp, load, *extra)
    with _cache_lock:
        if key in _cache:
            found: T = _cache[key]
            return found
    result = load(Path(stamp[0]))
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            del _cache[next(iter(_cache))]
        _cache[key] = result
    return result


def clear_cache() -> None:
    """Forget every loaded file (tests; a long-running process never needs it)."""
    with _cache_lock:
        _cache.clear()
