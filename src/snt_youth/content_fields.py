"""The field specs of the content reader, and where the reader is in a file.

:mod:`snt_youth.content` reads a file; the specs here say what each value in it must
be and check it, reporting a problem at an :class:`At` (file, key path, line) as one
:class:`~snt_youth.errors.ContentError`. Import them from :mod:`snt_youth.content`.
"""

from __future__ import annotations

import abc
import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import Any, Final, Literal, NoReturn

import attrs

from snt_youth.errors import ContentError
from snt_youth.outside_text import has_broken_character

Flavour = Literal["toml", "json"]

#: The usual identifier: lower-case words joined by hyphens ("who-kept-me-safe").
IDENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
IDENT_HINT = "use lower-case letters, digits and hyphens, like 'north-team'"


# --- where we are in a file ----------------------------------------------------------


class Lines:
    """Finds the line of a ``[[table]]`` entry in TOML text, for error messages."""

    _HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")

    def __init__(self, text: str) -> None:
        self.headers: list[tuple[int, str]] = []
        for number, line in enumerate(text.splitlines(), 1):
            found = self._HEADER.match(line)
            if found:
                name = ".".join(part.strip().strip("\"'") for part in found.group(1).split("."))
                self.headers.append((number, name))

    def line_of(self, parts: tuple[str | int, ...]) -> int | None:
        """The header line of the last list entry in ``parts``, if it was a ``[[...]]``."""
        start, end = 0, len(self.headers)
        names: list[str] = []
        line: int | None = None
        for part in parts:
            if isinstance(part, str):
                names.append(part)
                continue
            name = ".".join(names)
            hits = [n for n in range(start, end) if self.headers[n][1] == name]
            if part >= len(hits):
                return None
            start = hits[part]
            end = hits[part + 1] if part + 1 < len(hits) else end
            line = self.headers[start][0]
            start += 1
        return line


@attrs.frozen
class At:
    """A place in a content file: the file, the key path, and how to report a problem."""

    source: str
    parts: tuple[str | int, ...] = ()
    flavour: Flavour = "toml"
    lines: Lines | None = attrs.field(default=None, eq=False, repr=False)
    error: type[ContentError] = ContentError

    def key(self, name: str) -> At:
        """The place of key ``name`` inside this table."""
        return attrs.evolve(self, parts=(*self.parts, name))

    def item(self, index: int) -> At:
        """The place of entry ``index`` of this list."""
        return attrs.evolve(self, parts=(*self.parts, index))

    @property
    def line(self) -> int:
        """The line the innermost ``[[list]]`` entry here starts on (0 when not known)."""
        found = self.lines.line_of(self.parts) if self.lines else None
        return found or 0

    @property
    def where(self) -> str:
        """The key path in words: ``teams[0] (line 14).kind``; empty at the top."""
        out = ""
        for n, part in enumerate(self.parts):
            if isinstance(part, int):
                out += f"[{part}]"
                line = self.lines.line_of(self.parts[: n + 1]) if self.lines else None
                if line is not None:
                    out += f" (line {line})"
            else:
                out += f".{part}" if out else part
        return out

    def fail(self, problem: str) -> NoReturn:
        """Refuse the file: one error naming the file, this place and ``problem``."""
        raise self.error(self.source, self.where, problem)

    def fail_here_or_top(self, problem: str) -> NoReturn:
        """Like :meth:`fail`, saying "top level" when this is the whole file."""
        raise self.error(self.source, self.where or "top level", problem)

    @property
    def key_word(self) -> str:
        """What a key is called in this kind of file: a TOML key, a JSON field."""
        return "key" if self.flavour == "toml" else "field"

    def describe(self, value: Any) -> str:
        """What kind of value a person wrote, in words for an error message."""
        return describe_kind(value, flavour=self.flavour)


def describe_kind(value: Any, *, flavour: Flavour = "toml") -> str:
    """What kind of value ``value`` is, in the file's own terms ("a table", "an object")."""
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
    if isinstance(value, dict):
        return "a table" if flavour == "toml" else "an object"
    if isinstance(value, dt.datetime | dt.time):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return "an unknown kind of value"


# --- field specs ---------------------------------------------------------------------


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of a field that must be given.
REQUIRED: Final = _Required()


@attrs.frozen(kw_only=True)
class Spec(abc.ABC):
    """What one value in a file must be. Subclasses say what, and check it."""

    #: Used when the key is absent; :data:`REQUIRED` makes the key compulsory.
    default: Any = REQUIRED
    #: The problem to report when a required key is absent (default "missing key ...").
    missing: str = ""

    @abc.abstractmethod
    def accepts(self, value: Any) -> bool:
        """Whether ``value`` is of the right kind (before finer checks)."""

    @abc.abstractmethod
    def expect(self, flavour: Flavour) -> str:
        """What the value should be, in words."""

    @abc.abstractmethod
    def check(self, value: Any, at: At) -> Any:
        """The checked value, or :class:`ContentError` at ``at``."""

    def missing_problem(self, flavour: Flavour) -> str:
        """The problem to report when this required key is absent ("" for the usual one)."""
        return self.missing

    def _wrong_kind(self, value: Any, at: At) -> NoReturn:
        at.fail(f"should be {self.expect(at.flavour)}, not {at.describe(value)}")


@attrs.frozen(kw_only=True)
class Text(Spec):
    """Text in quotes. Spaces are tidied (``collapse``) or trimmed (``strip``)."""

    choices: tuple[str, ...] = ()
    #: What a choice is called in an error ("unknown domain 'x'").
    noun: str = "value"
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = IDENT_HINT
    allow_empty: bool = False
    collapse: bool = True
    strip: bool = True

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)

    def expect(self, flavour: Flavour) -> str:
        return "text in quotes"

    def check(self, value: Any, at: At) -> str:
        if not isinstance(value, str):
            self._wrong_kind(value, at)
        return self._tidy(value, at)

    def _tidy(self, value: str, at: At) -> str:
        if has_broken_character(value):
            at.fail("has a broken character in it (a lone surrogate); type that text again")
        if self.collapse:
            value = " ".join(value.split())
        elif self.strip:
            value = value.strip()
        if not value and not self.allow_empty:
            optional = "" if self.default is REQUIRED else " or take the key out"
            at.fail(f"is empty; write something here{optional}")
        if self.choices and value not in self.choices:
            at.fail(f"unknown {self.noun} {value!r}; use one of: {', '.join(self.choices)}")
        if self.pattern is not None and value and not self.pattern.fullmatch(value):
            at.fail(f"{value!r} is not a usable id; {self.pattern_hint}")
        return value


def ident(pattern: re.Pattern[str] = IDENT, hint: str = IDENT_HINT, **kwargs: Any) -> Text:
    """An identifier: text that must match ``pattern``."""
    return Text(pattern=pattern, pattern_hint=hint, **kwargs)


@attrs.frozen(kw_only=True)
class Integer(Spec):
    """A whole number, optionally within ``minimum`` .. ``maximum``."""

    minimum: int | None = None
    maximum: int | None = None

    def accepts(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def expect(self, flavour: Flavour) -> str:
        return "a whole number"

    def check(self, value: Any, at: At) -> int:
        if not self.accepts(value):
            self._wrong_kind(value, at)
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                at.fail(f"should be a whole number from {low} to {high}, not {value}")
            if low is not None:
                at.fail(f"should be a whole number, {low} or more, not {value}")
            at.fail(f"should be a whole number, {high} or less, not {value}")
        return int(value)


@attrs.frozen(kw_only=True)
class Boolean(Spec):
    """``true`` or ``false``, without quotes."""

    def accepts(self, value: Any) -> bool:
        return isinstance(value, bool)

    def expect(self, flavour: Flavour) -> str:
        return "true or false, without quotes"

    def check(self, value: Any, at: At) -> bool:
        if not isinstance(value, bool):
            self._wrong_kind(value, at)
        return value


@attrs.frozen(kw_only=True)
class Date(Spec):
    """A date such as ``2026-11-23`` (a TOML date, without quotes)."""

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)

    def expect(self, flavour: Flavour) -> str:
        return "a date such as 2026-11-23, without quotes"

    def check(self, value: Any, at: At) -> dt.date:
        if not self.accepts(value):
            self._wrong_kind(value, at)
        result: dt.date = value
        return result


@attrs.frozen(kw_only=True)
class Raw(Spec):
    """Any value, passed on unchecked (the loader, or another module, checks it)."""

    what: str = "a value"

    def accepts(self, value: Any) -> bool:
        return True

    def expect(self, flavour: Flavour) -> str:
        return self.what

    def check(self, value: Any, at: At) -> Any:
        return value


@attrs.frozen(kw_only=True)
class Null(Spec):
    """JSON ``null``, read as ``value`` (use it in :class:`Either`)."""

    value: Any = None

    def accepts(self, value: Any) -> bool:
        return value is None

    def expect(self, flavour: Flavour) -> str:
        return "null"

    def check(self, value: Any, at: At) -> Any:
        if value is not None:
            self._wrong_kind(value, at)
        return self.value


@attrs.frozen(kw_only=True)
class ListOf(Spec):
    """A list whose entries each match ``item``; ``unique`` names a key that must differ."""

    item: Spec
    min_items: int = 0
    unique: str = ""
    #: What an entry is called in a duplicate error ("duplicate column id 'x'").
    noun: str = ""

    def accepts(self, value: Any) -> bool:
        return isinstance(value, list)

    def expect(self, flavour: Flavour) -> str:
        if isinstance(self.item, Table):
            return "a list of tables [[...]]" if flavour == "toml" else "a list of objects [...]"
        if isinstance(self.item, Text):
            return 'a list of texts ["...", "..."]'
        return f"a list of {self.item.expect(flavour)}"

    def check(self, value: Any, at: At) -> tuple[Any, ...]:
        if not isinstance(value, list):
            self._wrong_kind(value, at)
        if len(value) < self.min_items:
            at.fail("is an empty list; add at least one entry or take the key out")
        out = tuple(self.item.check(entry, at.item(i)) for i, entry in enumerate(value))
        if self.unique:
            seen: dict[Any, int] = {}
            for i, entry in enumerate(out):
                key = entry[self.unique] if isinstance(entry, dict) else getattr(entry, self.unique)
                if key in seen:
                    noun = f"{self.noun} " if self.noun else ""
                    also = at.item(seen[key]).where
                    at.item(i).key(self.unique).fail(
                        f"duplicate {noun}{self.unique} {key!r} (also at {also}); "
                        "give each one its own"
                    )
                seen[key] = i
        return out


class Values(dict[str, Any]):
    """The checked values of one table, and where the table is (for later checks)."""

    def __init__(self, values: dict[str, Any], at: At) -> None:
        super().__init__(values)
        self.at = at


@attrs.frozen(kw_only=True)
class Table(Spec):
    """A table with known ``fields``; or, with ``values``, a table of free keys.

    The result is a :class:`Values` dict, or whatever ``build(values)`` makes of it.
    """

    fields: dict[str, Spec] = attrs.field(factory=dict)
    #: For tables of free keys (``timing = { yes-now = "ongoing" }``): each value's spec.
    values: Spec | None = None
    keys: Text = Text(collapse=False, strip=False)
    build: Callable[[Values], Any] | None = None

    def accepts(self, value: Any) -> bool:
        return isinstance(value, dict)

    def expect(self, flavour: Flavour) -> str:
        return "a table" if flavour == "toml" else "an object {...}"

    def check(self, value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            self._wrong_kind(value, at)
        out: dict[str, Any] = {}
        for name, spec in self.fields.items():
            if name in value:
                out[name] = spec.check(value[name], at.key(name))
            elif spec.default is not REQUIRED:
                out[name] = spec.default
            elif spec.missing_problem(at.flavour):
                at.key(name).fail(spec.missing_problem(at.flavour))
            else:
                at.fail_here_or_top(f"missing {at.key_word} {name!r}; add it")
        for name, raw in value.items():
            if name in self.fields:
                continue
            if self.values is None:
                self._unknown(name, at)
            out[self.keys.check(name, at.key(name))] = self.values.check(raw, at.key(name))
        checked = Values(out, at)
        return self.build(checked) if self.build else checked

    def _unknown(self, name: str, at: At) -> NoReturn:
        allowed = sorted(self.fields)
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        at.key(name).fail(
            f"unknown {at.key_word} {name!r} (allowed here: {', '.join(allowed)}){hint}"
        )


@attrs.frozen(kw_only=True)
class Either(Spec):
    """One of several kinds of value, chosen by kind (text, or a list of tables...)."""

    options: tuple[Spec, ...]

    def accepts(self, value: Any) -> bool:
        return any(option.accepts(value) for option in self.options)

    def expect(self, flavour: Flavour) -> str:
        return " or ".join(option.expect(flavour) for option in self.options)

    def check(self, value: Any, at: At) -> Any:
        for option in self.options:
            if option.accepts(value):
                return option.check(value, at)
        self._wrong_kind(value, at)


@attrs.frozen(kw_only=True)
class FormatName(Spec):
    """The ``format`` key: which kind of file this is."""

    expected: str
    what: str

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str)

    def expect(self, flavour: Flavour) -> str:
        return f"{self.expected!r}"

    def _needs(self, flavour: Flavour) -> str:
        if flavour == "json":
            return f'it needs "format": "{self.expected}"'
        return f'it needs format = "{self.expected}"'

    def check(self, value: Any, at: At) -> str:
        if value != self.expected:
            at.fail(f"is {value!r}, so this is not {self.what}; {self._needs(at.flavour)}")
        return self.expected

    def missing_problem(self, flavour: Flavour) -> str:
        return f"is missing, so this is not {self.what}; {self._needs(flavour)}"


@attrs.frozen(kw_only=True)
class FormatVersion(Integer):
    """The ``format_version`` key: 1 up to the version this snt-youth reads."""

    current: int

    def check(self, value: Any, at: At) -> int:
        if not self.accepts(value):
            at.fail(f"should be a whole number such as {self.current}, not {at.describe(value)}")
        if value < 1:
            at.fail(f"should be 1 or more, not {value}")
        if value > self.current:
            at.fail(
                f"version {value} was written by a newer snt-youth (this one reads up to "
                f"{self.current}); upgrade snt-youth"
            )
        return int(value)
