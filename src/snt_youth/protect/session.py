"""Direct-work sessions, the pure part: checking entries and deriving the outcome.

Storage and the audit trail live in the :class:`~snt_youth.casebook.Casebook`; this
module only decides what is acceptable and what it means:

- :func:`validate_entries` checks each matrix entry against the matrix.
- :func:`protective_adult_identified` derives the session outcome from the entries.
- :func:`read_entries_file` reads the JSON file a champion fills in after a session
  (``snt-youth session record REF --matrix ID --entries FILE.json``).

The entries file looks like this (``words``, ``reflection``, ``next_steps`` and
``matrix`` may be left out)::

    {
      "format": "snt-youth/session-entries",
      "format_version": 1,
      "matrix": "who-kept-me-safe",
      "entries": [
        {"person": "Mum", "domain": "safe", "words": "She took me to Nan's when it got loud."}
      ],
      "reflection": "Mum did a lot more than I thought.",
      "next_steps": "Think about saying thank you to Nan."
    }
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from snt_youth.errors import FormatError, InvalidInput
from snt_youth.model import MatrixEntry
from snt_youth.protect.matrix import Matrix, describe_kind

FORMAT = "snt-youth/session-entries"
FORMAT_VERSION = 1

#: A person label is a role or a first name; anything longer is probably too much.
MAX_PERSON_LENGTH = 40

_TOP_KEYS = ("format", "format_version", "matrix", "entries", "reflection", "next_steps")
_ENTRY_KEYS = ("person", "domain", "words")

_Fail = Callable[[str, str], FormatError]


@attrs.frozen
class SessionInput:
    """What a champion records from one session, before it is stored.

    ``matrix_id`` is optional in the file; when given, :func:`validate_input` checks it
    against the matrix the session is recorded with.
    """

    entries: tuple[MatrixEntry, ...] = ()
    reflection: str = ""
    next_steps: str = ""
    matrix_id: str | None = None


# --- checking and the outcome --------------------------------------------------------


def validate_entries(
    matrix: Matrix, entries: Iterable[MatrixEntry], *, source: str = ""
) -> tuple[MatrixEntry, ...]:
    """Entries checked against ``matrix``, with spaces tidied.

    Raises :class:`InvalidInput` (naming the entry, and ``source`` if given) for an
    empty or over-long person label, or a domain that is not a column of ``matrix``.
    """
    prefix = f"{source}: " if source else ""
    allowed = matrix.column_ids
    checked: list[MatrixEntry] = []
    for number, entry in enumerate(entries, start=1):
        person = " ".join(entry.person.split())
        domain = entry.domain.strip()
        words = entry.words.strip()
        if not person:
            raise InvalidInput(
                f"{prefix}entry {number} has no person; write a role (like Mum or "
                "a teacher) or a first name."
            )
        if len(person) > MAX_PERSON_LENGTH:
            raise InvalidInput(
                f"{prefix}entry {number}: the person {person[:20]!r}... is too long; "
                f"write a role or first name only (at most {MAX_PERSON_LENGTH} characters)."
            )
        if domain not in allowed:
            raise InvalidInput(
                f"{prefix}entry {number} ({person}): {domain!r} is not a column of matrix "
                f"{matrix.id!r}; use one of: {', '.join(allowed)}."
            )
        checked.append(MatrixEntry(person=person, domain=domain, words=words))
    return tuple(checked)


def validate_input(matrix: Matrix, data: SessionInput, *, source: str = "") -> SessionInput:
    """A whole :class:`SessionInput` checked against ``matrix`` (entries and matrix id)."""
    prefix = f"{source}: " if source else ""
    if data.matrix_id is not None and data.matrix_id != matrix.id:
        raise InvalidInput(
            f"{prefix}the entries are for matrix {data.matrix_id!r}, but the session is "
            f"being recorded with {matrix.id!r}; use --matrix {data.matrix_id} or fix the file."
        )
    return SessionInput(
        entries=validate_entries(matrix, data.entries, source=source),
        reflection=data.reflection.strip(),
        next_steps=data.next_steps.strip(),
        matrix_id=matrix.id,
    )


def protective_adult_identified(matrix: Matrix, entries: Iterable[MatrixEntry]) -> bool:
    """True when at least one entry names a person under one of ``matrix``'s columns.

    This is the derived outcome. The facilitator confirms it (or not) when the
    session is recorded: a young person might, for example, name a younger sibling.
    """
    columns = set(matrix.column_ids)
    return any(e.person.strip() and e.domain.strip() in columns for e in entries)


# --- the entries file ----------------------------------------------------------------


def read_entries_file(path: str | Path) -> SessionInput:
    """Read a session entries JSON file; :class:`FormatError` names the file and problem."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(f"{file}: file not found; check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"{file}: cannot be read ({exc}); save it as UTF-8 text.") from None
    return parse_entries(text, str(file))


def parse_entries(text: str, source: str = "<entries>") -> SessionInput:
    """Parse the text of a session entries file (see the module docstring)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"{source}, line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg}); "
            "check commas, quotes and brackets."
        ) from None
    return entries_from_data(raw, source)


def entries_from_data(raw: Any, source: str = "<entries>") -> SessionInput:
    """A :class:`SessionInput` from already-parsed JSON data, checked field by field."""

    def fail(where: str, problem: str) -> FormatError:
        location = f"{source}, {where}" if where else source
        return FormatError(f"{location}: {problem}")

    if not isinstance(raw, Mapping):
        raise fail("", f"should be a JSON object {{...}}, not {_kind(raw)}.")
    if raw.get("format") != FORMAT:
        found = raw.get("format")
        what = f"is {found!r}" if found is not None else "is missing"
        raise fail("format", f'{what}; a session entries file has "format": "{FORMAT}".')
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("format_version", f"should be a whole number such as {FORMAT_VERSION}.")
    if version > FORMAT_VERSION:
        raise fail(
            "format_version",
            f"version {version} is newer than this snt-youth understands ({FORMAT_VERSION}); "
            "upgrade snt-youth.",
        )
    _no_unknown(raw, _TOP_KEYS, "", fail)
    if "entries" not in raw:
        raise fail("entries", 'missing; add "entries": [] (a list, empty if no one was named).')
    items = raw["entries"]
    if not isinstance(items, list):
        raise fail("entries", f"should be a list [...], not {_kind(items)}.")
    entries: list[MatrixEntry] = []
    for i, item in enumerate(items):
        where = f"entries[{i}]"
        if not isinstance(item, Mapping):
            raise fail(
                where, f'should be an object {{"person": ..., "domain": ...}}, not {_kind(item)}.'
            )
        _no_unknown(item, _ENTRY_KEYS, where, fail)
        for key in ("person", "domain"):
            if key not in item:
                raise fail(where, f'missing "{key}".')
        fields = {key: _string(item, key, f"{where}.{key}", fail) for key in _ENTRY_KEYS}
        entries.append(MatrixEntry(**fields))
    matrix_id = raw.get("matrix")
    if matrix_id is not None and not isinstance(matrix_id, str):
        raise fail("matrix", f"should be text (a matrix id), not {_kind(matrix_id)}.")
    return SessionInput(
        entries=tuple(entries),
        reflection=_string(raw, "reflection", "reflection", fail),
        next_steps=_string(raw, "next_steps", "next_steps", fail),
        matrix_id=matrix_id,
    )


def entries_to_data(data: SessionInput) -> dict[str, Any]:
    """The JSON-ready form of ``data``: what :func:`entries_from_data` reads back."""
    out: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    if data.matrix_id is not None:
        out["matrix"] = data.matrix_id
    out["entries"] = [
        {"person": e.person, "domain": e.domain, "words": e.words} for e in data.entries
    ]
    out["reflection"] = data.reflection
    out["next_steps"] = data.next_steps
    return out


def dump_entries(data: SessionInput) -> str:
    """``data`` as the text of an entries file (UTF-8 JSON, indented for people)."""
    return json.dumps(entries_to_data(data), indent=2, ensure_ascii=False) + "\n"


def _string(raw: Mapping[str, Any], key: str, where: str, fail: _Fail) -> str:
    value = raw.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail(where, f"should be text in quotes, not {_kind(value)}.")
    return value


def _no_unknown(raw: Mapping[str, Any], allowed: tuple[str, ...], where: str, fail: _Fail) -> None:
    for key in raw:
        if key not in allowed:
            raise fail(
                where or "top level",
                f"unknown field {key!r}; allowed fields are {', '.join(allowed)}.",
            )


def _kind(value: Any) -> str:
    return describe_kind(value, mapping="an object")
