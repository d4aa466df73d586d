"""Direct-work matrices: who tried to protect a young person, and how.

A matrix is a TOML file in the top-level ``matrices/`` folder (see
:func:`snt_youth.locations.matrices_dir`). Champions read and edit these files, so
loading checks everything and reports the first problem as one
:class:`~snt_youth.errors.ContentError` naming the file, the key and the problem.
Nothing is half-loaded: either a whole, valid :class:`Matrix` comes back or an error.

The matrix has people down one side (:class:`RowPrompt`), the ways someone can
protect a child across the top (:class:`Column`), and for each column a
:class:`QuestionTemplate`. A question may contain ``{person}``, which is filled in
with whoever the young person is talking about ("What did Nan do to keep you safe?").

The file is read through :mod:`snt_youth.content`, never through the cattrs
converter, because cattrs quietly turns a number into text and a string into a tuple
of letters. A champion's typo must be reported, not reshaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from snt_youth import content, locations, readability
from snt_youth.errors import ContentError, NotFound

FORMAT_VERSION = 1

#: The only placeholder a question may use.
PERSON = "{person}"
#: What ``{person}`` becomes when no one is named yet (blank worksheets, ``matrix show``).
ANY_PERSON = "this person"

#: The Safe & Together protective domains a column can stand for.
DOMAINS = ("safety", "stability", "healing", "nurturance")

_ID = content.IDENT
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@attrs.frozen
class QuestionTemplate:
    """The questions for one column, in the young person's words.

    ``opening`` starts the conversation about a person in this column, ``follow_up``
    helps the young person say more, and ``strengths`` names what the person did
    well (and what the young person noticed). Any of them may use ``{person}``.
    """

    opening: str
    follow_up: tuple[str, ...]
    strengths: tuple[str, ...]

    def render(self, person: str = ANY_PERSON) -> QuestionTemplate:
        """The same questions with ``{person}`` filled in."""
        return QuestionTemplate(
            opening=fill(self.opening, person),
            follow_up=tuple(fill(q, person) for q in self.follow_up),
            strengths=tuple(fill(q, person) for q in self.strengths),
        )

    def all(self) -> tuple[str, ...]:
        """Every question, in the order a facilitator would ask them."""
        return (self.opening, *self.follow_up, *self.strengths)


@attrs.frozen
class Column:
    """One way of protecting a child (a Safe & Together protective domain).

    ``label`` and ``meaning`` are for the young person; ``about`` is for the
    facilitator. ``id`` is what session entries use in their ``domain`` field.
    """

    id: str
    label: str
    domain: str
    meaning: str
    about: str
    questions: QuestionTemplate


@attrs.frozen
class RowPrompt:
    """A kind of person a young person might name, with everyday examples."""

    id: str
    label: str
    examples: str = ""


@attrs.frozen
class Guidance:
    """Notes for the facilitator. Each field is a list of short paragraphs."""

    pacing: tuple[str, ...]
    stopping: tuple[str, ...]
    new_disclosure: tuple[str, ...]
    before: tuple[str, ...] = ()
    recording: tuple[str, ...] = ()


@attrs.frozen
class Closing:
    """How a session ends: questions for the young person, a goodbye, and notes."""

    reflection: tuple[str, ...]
    goodbye: str
    facilitator: tuple[str, ...] = ()


@attrs.frozen
class Matrix:
    """A whole, validated matrix definition."""

    format_version: int
    id: str
    version: str
    title: str
    purpose: str
    intro: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[RowPrompt, ...]
    guidance: Guidance
    closing: Closing
    source: str = ""

    @property
    def column_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns)

    def column(self, column_id: str) -> Column:
        """The column with ``column_id``, or :class:`NotFound` listing the ids there are."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise NotFound(
            f"Matrix {self.id!r} has no column {column_id!r}. "
            f"Use one of: {', '.join(self.column_ids)}."
        )

    def young_person_texts(self) -> Iterator[tuple[str, str]]:
        """Every text a young person reads, as ``(key, text)`` with ``{person}`` filled in.

        This is what readability checks and worksheets work from.
        """
        for i, line in enumerate(self.intro):
            yield f"intro[{i}]", line
        for c, column in enumerate(self.columns):
            yield f"columns[{c}].label", column.label
            yield f"columns[{c}].meaning", column.meaning
            rendered = column.questions.render()
            yield f"columns[{c}].questions.opening", rendered.opening
            for i, q in enumerate(rendered.follow_up):
                yield f"columns[{c}].questions.follow_up[{i}]", q
            for i, q in enumerate(rendered.strengths):
                yield f"columns[{c}].questions.strengths[{i}]", q
        for r, row in enumerate(self.rows):
            yield f"rows[{r}].label", row.label
            if row.examples:
                yield f"rows[{r}].examples", row.examples
        for i, line in enumerate(self.closing.reflection):
            yield f"closing.reflection[{i}]", line
        yield "closing.goodbye", self.closing.goodbye


def fill(template: str, person: str) -> str:
    """Put ``person`` into a question; a question that starts with it gets a capital."""
    text = template.replace(PERSON, person)
    if template.startswith(PERSON) and text:
        text = text[0].upper() + text[1:]
    return text


def readability_problems(matrix: Matrix) -> list[str]:
    """Why parts of ``matrix`` may be too hard for a young reader (empty if none).

    Loading does not refuse a hard text: a service may have good reasons. Shipped
    matrices are held to this in the tests, and ``snt-youth matrix check`` shows it.
    """
    found: list[str] = []
    for key, text in matrix.young_person_texts():
        found.extend(f"{key}: {problem}" for problem in readability.problems(text))
    return found


# --- finding and loading -------------------------------------------------------------


def list_matrices(folder: Path | None = None) -> tuple[Matrix, ...]:
    """Every matrix in ``folder`` (default: the shipped ``matrices/``), sorted by id.

    A bad file stops the whole listing with its :class:`ContentError`, so a broken
    matrix is noticed rather than silently missing.
    """
    base = folder or locations.matrices_dir()
    if not base.is_dir():
        raise ContentError(base, "", "the matrices folder is missing; reinstall snt-youth")
    matrices = [_load_file(path, expect_id=path.stem) for path in sorted(base.glob("*.toml"))]
    return tuple(sorted(matrices, key=lambda m: m.id))


def load_matrix(id_or_path: str | Path, *, folder: Path | None = None) -> Matrix:
    """Load a matrix by id (from ``folder``, default the shipped ``matrices/``) or by path.

    Anything that looks like a path (a :class:`~pathlib.Path`, a ``.toml`` name, or a
    name with a slash) is read as a file. An unknown id raises :class:`NotFound`
    listing the ids there are; a bad file raises :class:`ContentError`.
    """
    text = str(id_or_path)
    if isinstance(id_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(id_or_path)
        if not path.is_file():
            raise ContentError(path, "", "file not found; check the path")
        return _load_file(path, expect_id=None)
    base = folder or locations.matrices_dir()
    path = base / f"{text}.toml"
    if not _ID.match(text) or not path.is_file():
        known = sorted(p.stem for p in base.glob("*.toml")) if base.is_dir() else []
        listing = ", ".join(known) if known else "none"
        raise NotFound(
            f"There is no matrix {text!r}. Matrices available: {listing}. "
            "See them with: snt-youth matrix list."
        )
    return _load_file(path, expect_id=text)


def parse_matrix(text: str, source: str = "<matrix>") -> Matrix:
    """Parse and validate matrix TOML text; ``source`` names it in errors."""
    document = content.parse_toml(text, source)
    matrix: Matrix = _FILE.check(document.data, document.at)
    return attrs.evolve(matrix, source=source)


def _read(path: Path) -> Matrix:
    document = content.read_file(path, "toml")
    matrix: Matrix = _FILE.check(document.data, document.at)
    return attrs.evolve(matrix, source=str(path))


def _load_file(path: Path, *, expect_id: str | None) -> Matrix:
    matrix = content.cached(path, _read)
    if expect_id is not None and matrix.id != expect_id:
        raise ContentError(
            matrix.source,
            "id",
            f"the id {matrix.id!r} does not match the file name {path.name!r}; make them the same",
        )
    return matrix


# --- the file, declared --------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Question(content.Text):
    """A question for the young person: text whose only placeholder is ``{person}``."""

    def check(self, value: Any, at: content.At) -> str:
        text = super().check(value, at)
        for placeholder in _PLACEHOLDER.findall(text):
            if placeholder != PERSON:
                at.fail(f"unknown placeholder {placeholder}; only {PERSON} can be filled in")
        return text


_TEXTS = content.ListOf(item=content.Text(), min_items=1)
_QUESTIONS = content.ListOf(item=_Question(), min_items=1)
_ID_SPEC = content.ident(hint="use lower-case letters, digits and hyphens")

_FILE = content.Table(
    fields={
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        "columns": content.ListOf(
            item=content.Table(
                fields={
                    "id": _ID_SPEC,
                    "domain": content.Text(choices=DOMAINS, noun="domain"),
                    "label": content.Text(),
                    "meaning": content.Text(),
                    "about": content.Text(),
                    "questions": content.Table(
                        fields={
                            "opening": _Question(),
                            "follow_up": _QUESTIONS,
                            "strengths": _QUESTIONS,
                        },
                        build=lambda v: QuestionTemplate(**v),
                    ),
                },
                build=lambda v: Column(**v),
            ),
            min_items=1,
            unique="id",
            noun="column",
        ),
        "rows": content.ListOf(
            item=content.Table(
                fields={
                    "id": _ID_SPEC,
                    "label": content.Text(),
                    "examples": content.Text(default=""),
                },
                build=lambda v: RowPrompt(**v),
            ),
            min_items=1,
            unique="id",
            noun="row",
        ),
        "guidance": content.Table(
            fields={
                "pacing": _TEXTS,
                "stopping": _TEXTS,
                "new_disclosure": _TEXTS,
                "before": content.ListOf(item=content.Text(), min_items=1, default=()),
                "recording": content.ListOf(item=content.Text(), min_items=1, default=()),
            },
            build=lambda v: Guidance(**v),
        ),
        "closing": content.Table(
            fields={
                "reflection": _TEXTS,
                "goodbye": content.Text(),
                "facilitator": content.ListOf(item=content.Text(), min_items=1, default=()),
            },
            build=lambda v: Closing(**v),
        ),
        "id": _ID_SPEC,
        "version": content.Text(),
        "title": content.Text(),
        "purpose": content.Text(),
        "intro": _TEXTS,
    },
    build=lambda v: Matrix(**v),
)
