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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from snt_youth import content, outside_text
from snt_youth.errors import InvalidInput
from snt_youth.model import MatrixEntry
from snt_youth.protect.matrix import Matrix

FORMAT = "snt-youth/session-entries"
FORMAT_VERSION = 1

#: A person label is a role or a first name; anything longer is probably too much.
MAX_PERSON_LENGTH = outside_text.MAX_PERSON_LENGTH


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
    empty or over-long person label, a person that is not a role or a first name (the
    known-as rule, :func:`snt_youth.outside_text.person_problem`), broken or control
    characters, or a domain that is not a column of ``matrix``.
    """
    prefix = f"{source}: " if source else ""
    allowed = matrix.column_ids
    roles = outside_text.role_words(row.label for row in matrix.rows)
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
        problem = outside_text.person_problem(person, roles=roles)
        if problem is not None:
            raise InvalidInput(f"{prefix}entry {number}: the person {person!r} {problem}.")
        for name, text in (("domain", domain), ("words", words)):
            broken = outside_text.text_problem(text, multiline=name == "words")
            if broken is not None:
                raise InvalidInput(f"{prefix}entry {number} ({person}): the {name} {broken}.")
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
    for what, text in (("the reflection", data.reflection), ("the next steps", data.next_steps)):
        label = f"{prefix}{what}" if prefix else what.capitalize()
        outside_text.check_text(text, label, multiline=True)
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


_LOOSE_TEXT = content.Text(allow_empty=True, collapse=False, strip=False)
_OPTIONAL_TEXT = content.Either(options=(_LOOSE_TEXT, content.Null(value="")), default="")
_FILE = content.Table(
    fields={
        "format": content.FormatName(expected=FORMAT, what="a session entries file"),
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        "matrix": content.Either(options=(content.ident(), content.Null()), default=None),
        "entries": content.ListOf(
            item=content.Table(
                fields={"person": _LOOSE_TEXT, "domain": _LOOSE_TEXT, "words": _OPTIONAL_TEXT},
                build=lambda v: MatrixEntry(**v),
            ),
            missing='missing; add "entries": [] (a list, empty if no one was named)',
        ),
        "reflection": _OPTIONAL_TEXT,
        "next_steps": _OPTIONAL_TEXT,
    }
)


def read_entries_file(path: str | Path) -> SessionInput:
    """Read a session entries JSON file; a bad file names the file, key and problem.

    The error is a :class:`~snt_youth.content.ContentFormatError`, which is both a
    ``ContentError`` and a ``FormatError``. The file holds personal data, so it is read
    each time and never cached.
    """
    document = content.read_file(path, "json", error=content.ContentFormatError)
    return _build(document)


def parse_entries(text: str, source: str = "<entries>") -> SessionInput:
    """Parse the text of a session entries file (see the module docstring)."""
    return _build(content.parse_json(text, source, error=content.ContentFormatError))


def entries_from_data(raw: Any, source: str = "<entries>") -> SessionInput:
    """A :class:`SessionInput` from already-parsed JSON data, checked field by field."""
    return _build(
        content.Document(raw, content.At(source, flavour="json", error=content.ContentFormatError))
    )


def _build(document: content.Document) -> SessionInput:
    values = _FILE.check(document.data, document.at)
    return SessionInput(
        entries=values["entries"],
        reflection=values["reflection"],
        next_steps=values["next_steps"],
        matrix_id=values["matrix"],
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
