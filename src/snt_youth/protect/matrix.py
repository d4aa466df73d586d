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

We read the TOML by hand rather than through the cattrs converter because cattrs
quietly turns a number into text and a string into a tuple of letters. A champion's
typo must be reported, not reshaped.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from snt_youth import locations, readability
from snt_youth.errors import ContentError, NotFound

FORMAT_VERSION = 1

#: The only placeholder a question may use.
PERSON = "{person}"
#: What ``{person}`` becomes when no one is named yet (blank worksheets, ``matrix show``).
ANY_PERSON = "this person"

#: The Safe & Together protective domains a column can stand for.
DOMAINS = ("safety", "stability", "healing", "nurturance")

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {at.group(1)}" if at else ""
        problem = message[: at.start()].strip() if at else message
        raise ContentError(
            source, where, f"not valid TOML ({problem}); check quotes and brackets"
        ) from None
    return _build(_Table(raw, source, ""))


def _load_file(path: Path, *, expect_id: str | None) -> Matrix:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "", "file not found; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "", f"cannot be read ({exc}); save it as UTF-8 text") from None
    matrix = parse_matrix(text, str(path))
    if expect_id is not None and matrix.id != expect_id:
        raise ContentError(
            path,
            "id",
            f"the id {matrix.id!r} does not match the file name {path.name!r}; make them the same",
        )
    return matrix


# --- validation ----------------------------------------------------------------------


class _Table:
    """A TOML table being read: tracks its key path and refuses unknown keys."""

    def __init__(self, raw: dict[str, Any], source: str, where: str) -> None:
        self.raw = raw
        self.source = source
        self.where = where
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def fail(self, where: str, problem: str) -> ContentError:
        return ContentError(self.source, where, problem)

    def _get(self, name: str, required: bool) -> Any:
        self.used.add(name)
        if name not in self.raw:
            if required:
                where = self.where or "top level"
                raise self.fail(where, f"missing key {name!r}; add it")
            return None
        return self.raw[name]

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(name, required)
        if value is None:
            return default
        return self._text(value, self.key(name))

    def _text(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"should be text in quotes, not {_kind(value)}")
        cleaned = " ".join(value.split())
        if not cleaned:
            raise self.fail(where, "is empty; write something or remove the key")
        return cleaned

    def texts(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        value = self._get(name, required)
        if value is None:
            return ()
        where = self.key(name)
        if not isinstance(value, list):
            raise self.fail(where, f'should be a list of texts ["...", "..."], not {_kind(value)}')
        if not value:
            raise self.fail(where, "is an empty list; add at least one text or remove the key")
        return tuple(self._text(item, f"{where}[{i}]") for i, item in enumerate(value))

    def integer(self, name: str) -> int:
        value = self._get(name, True)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(self.key(name), f"should be a whole number, not {_kind(value)}")
        return value

    def table(self, name: str) -> _Table:
        value = self._get(name, True)
        where = self.key(name)
        if not isinstance(value, dict):
            raise self.fail(where, f"should be a table [{where}], not {_kind(value)}")
        return _Table(value, self.source, where)

    def tables(self, name: str) -> list[_Table]:
        value = self._get(name, True)
        where = self.key(name)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(where, f"should be a list of tables [[{where}]], not {_kind(value)}")
        if not value:
            raise self.fail(where, "needs at least one entry")
        return [_Table(v, self.source, f"{where}[{i}]") for i, v in enumerate(value)]

    def done(self) -> None:
        """Refuse keys nobody asked for: they are usually typos."""
        for name in self.raw:
            if name not in self.used:
                close = difflib.get_close_matches(name, sorted(self.used), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                allowed = ", ".join(sorted(self.used))
                raise self.fail(
                    self.key(name), f"unknown key {name!r} (allowed here: {allowed}){hint}"
                )


def describe_kind(value: Any, *, mapping: str = "a table") -> str:
    """What kind of value a person wrote, in words for an error message.

    ``mapping`` names a key-value table in the file's own terms ("a table" in TOML,
    "an object" in JSON).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return mapping
    return type(value).__name__


def _kind(value: Any) -> str:
    return describe_kind(value)


def _ident(table: _Table, name: str = "id") -> str:
    value = table.text(name)
    if not _ID.match(value):
        raise table.fail(
            table.key(name),
            f"{value!r} is not a usable id; use lower-case letters, digits and hyphens",
        )
    return value


def _question(table: _Table, where: str, text: str) -> str:
    for placeholder in _PLACEHOLDER.findall(text):
        if placeholder != PERSON:
            raise table.fail(
                where, f"unknown placeholder {placeholder}; only {PERSON} can be filled in"
            )
    return text


def _questions(table: _Table) -> QuestionTemplate:
    opening = _question(table, table.key("opening"), table.text("opening"))
    follow_up = tuple(
        _question(table, f"{table.key('follow_up')}[{i}]", q)
        for i, q in enumerate(table.texts("follow_up"))
    )
    strengths = tuple(
        _question(table, f"{table.key('strengths')}[{i}]", q)
        for i, q in enumerate(table.texts("strengths"))
    )
    table.done()
    return QuestionTemplate(opening=opening, follow_up=follow_up, strengths=strengths)


def _column(table: _Table) -> Column:
    column_id = _ident(table)
    domain = table.text("domain")
    if domain not in DOMAINS:
        raise table.fail(
            table.key("domain"), f"unknown domain {domain!r}; use one of: {', '.join(DOMAINS)}"
        )
    column = Column(
        id=column_id,
        label=table.text("label"),
        domain=domain,
        meaning=table.text("meaning"),
        about=table.text("about"),
        questions=_questions(table.table("questions")),
    )
    table.done()
    return column


def _row(table: _Table) -> RowPrompt:
    row = RowPrompt(
        id=_ident(table),
        label=table.text("label"),
        examples=table.text("examples", required=False),
    )
    table.done()
    return row


def _unique(items: list[tuple[_Table, str]], what: str) -> None:
    seen: dict[str, str] = {}
    for table, ident in items:
        if ident in seen:
            raise table.fail(
                table.key("id"), f"duplicate {what} id {ident!r} (also at {seen[ident]})"
            )
        seen[ident] = table.where


def _build(top: _Table) -> Matrix:
    version = top.integer("format_version")
    if version > FORMAT_VERSION:
        raise top.fail(
            "format_version",
            f"version {version} is newer than this snt-youth understands ({FORMAT_VERSION}); "
            "upgrade snt-youth",
        )
    if version < 1:
        raise top.fail("format_version", f"must be 1 or more, not {version}")
    column_tables = top.tables("columns")
    columns = [(t, _column(t)) for t in column_tables]
    _unique([(t, c.id) for t, c in columns], "column")
    row_tables = top.tables("rows")
    rows = [(t, _row(t)) for t in row_tables]
    _unique([(t, r.id) for t, r in rows], "row")
    guidance_table = top.table("guidance")
    guidance = Guidance(
        pacing=guidance_table.texts("pacing"),
        stopping=guidance_table.texts("stopping"),
        new_disclosure=guidance_table.texts("new_disclosure"),
        before=guidance_table.texts("before", required=False),
        recording=guidance_table.texts("recording", required=False),
    )
    guidance_table.done()
    closing_table = top.table("closing")
    closing = Closing(
        reflection=closing_table.texts("reflection"),
        goodbye=closing_table.text("goodbye"),
        facilitator=closing_table.texts("facilitator", required=False),
    )
    closing_table.done()
    matrix = Matrix(
        format_version=version,
        id=_ident(top),
        version=top.text("version"),
        title=top.text("title"),
        purpose=top.text("purpose"),
        intro=top.texts("intro"),
        columns=tuple(c for _, c in columns),
        rows=tuple(r for _, r in rows),
        guidance=guidance,
        closing=closing,
        source=top.source,
    )
    top.done()
    return matrix
