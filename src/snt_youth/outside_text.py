"""Checks for text and numbers that come from outside: arguments, files, backups.

Every face and every file reader calls these at the edge, so the rest of the product
only ever sees values it can store and print. Each check gives one sentence that says
what is wrong and what to do, never a traceback:

- broken characters: lone surrogates (``\\ud800`` in JSON) and bytes that are not UTF-8
  (which Python shows as surrogates in command-line arguments on POSIX);
- control characters, refused in names and one-line text;
- dates before 1900 or after 2999;
- whole numbers outside a signed 64-bit integer, which no database column holds;
- names: the one rule for a first name (known-as), and for the person in a matrix
  entry, which is a role ("my Nan", "a teacher") or a first name.

Stdlib only: this module sits beside the codec and the config, below every face.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from snt_youth.errors import InvalidInput, SntError

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

#: A first name or initials: one word of letters (and . ' -), up to 20 characters.
FIRST_NAME = re.compile(r"^[^\W\d_][\w.'\-]{0,19}$")
_WORD = re.compile(r"^[^\W\d_][\w.'\-]*$")
#: A person in a matrix entry, written as a role, is at most this long.
MAX_PERSON_LENGTH = 40
_MAX_PERSON_WORDS = 5

#: Words that name a role rather than a person. A matrix's own row labels add to these.
_ROLE_LIST = """
    mum mam mom mummy mother dad daddy father parent parents carer carers foster
    stepmum stepdad stepmother stepfather step nan nana nanna nanny gran granny grandma
    grandmother grandad granddad grandpa grandfather grandparent grandparents aunt aunty
    auntie uncle cousin sister brother sibling sis bro family friend friends neighbour
    neighbor teacher teachers tutor head headteacher teaching assistant worker coach
    leader mentor doctor nurse gp police officer counsellor therapist keyworker social
    support youth school college club church mosque temple gurdwara someone somebody
    else boyfriend girlfriend partner adult godmother godfather godparent carer's
    staff manager receptionist dinner lady man woman guardian childminder babysitter
"""
ROLE_WORDS = frozenset(_ROLE_LIST.split())
#: Small words that may sit beside a role: "my big sister", "a friend of Mum".
_SMALL_LIST = "a an my the our his her their big little older younger best old new at from of in"
_SMALL_WORDS = frozenset(_SMALL_LIST.split())

# Characters that reorder text on screen and can disguise a name.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


# --- characters ----------------------------------------------------------------------


def has_broken_character(text: str) -> bool:
    """True when ``text`` holds a lone surrogate, or undecodable bytes (surrogateescape)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def broken_bytes(text: str) -> str:
    """The undecodable bytes in an argument as ``\\xff``-style text (for messages)."""
    found = [f"\\x{ord(ch) - 0xDC00:02x}" for ch in text if "\udc80" <= ch <= "\udcff"]
    return " ".join(dict.fromkeys(found))


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character in ``text`` as ``U+0007``, or None.

    With ``multiline``, tabs and line breaks are allowed (notes, reasons, words).
    """
    allowed = "\t\n\r" if multiline else ""
    for ch in text:
        if ch in allowed:
            continue
        # Direction marks belong in free text written in Arabic or Hebrew, not in names.
        if unicodedata.category(ch) == "Cc" or (not multiline and ch in _BIDI):
            return f"U+{ord(ch):04X}"
    return None


def text_problem(text: str, *, multiline: bool = False, in_file: bool = False) -> str | None:
    """Why ``text`` cannot be stored, as a phrase ("has a control character ..."), or None.

    ``in_file`` words the problem for text read from a file rather than typed.
    """
    if has_broken_character(text):
        shown = broken_bytes(text)
        if in_file:
            return "has a broken character in it (a lone surrogate); the file is damaged"
        if shown:
            return (
                f"has bytes that are not UTF-8 ({shown}); type it again, "
                "or set your terminal to UTF-8"
            )
        return "has a broken character in it (a lone surrogate); type that text again"
    control = control_character(text, multiline=multiline)
    if control is not None:
        return f"has a control character ({control}) in it; type it again without it"
    return None


def check_text(
    text: str, what: str, *, multiline: bool = False, error: type[SntError] = InvalidInput
) -> str:
    """``text`` unchanged if it can be stored; else ``error`` naming ``what``."""
    problem = text_problem(text, multiline=multiline)
    if problem is not None:
        raise error(f"{what} {problem}.")
    return text


# --- dates and numbers ---------------------------------------------------------------


def date_problem(day: dt.date) -> str | None:
    """Why ``day`` is not a date the product records, or None."""
    if day < EARLIEST:
        return f"{day.isoformat()} is before 1900; check the year"
    if day > LATEST:
        return f"{day.isoformat()} is after 2999; check the year"
    return None


def check_date(day: dt.date, what: str = "The date") -> dt.date:
    """``day`` if it lies between 1900 and 2999; else :class:`InvalidInput`."""
    problem = date_problem(day)
    if problem is not None:
        raise InvalidInput(f"{what} {problem}.")
    return day


def parse_date(text: str, what: str = "date") -> dt.date:
    """A ``YYYY-MM-DD`` date from a person, checked; else one sentence naming ``what``."""
    problem = text_problem(text)
    if problem is not None:
        raise InvalidInput(f"{what} {problem}.")
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a date; write it as YYYY-MM-DD.") from None
    return check_date(day, what)


def int_problem(value: int, *, minimum: int = INT64_MIN) -> str | None:
    """Why ``value`` cannot be stored as a whole number, or None."""
    if value > INT64_MAX:
        return f"{value} is too big a number; check it"
    if value < minimum:
        if minimum == 1:
            return f"{value} is not a record number; they start at 1"
        if minimum == 0:
            return f"{value} is below zero; give 0 or more"
        return f"{value} is too small a number; check it"
    return None


def check_int(value: int, what: str, *, minimum: int = INT64_MIN) -> int:
    """``value`` if it fits a 64-bit column and is at least ``minimum``."""
    problem = int_problem(value, minimum=minimum)
    if problem is not None:
        raise InvalidInput(f"{what}: {problem}.")
    return value


# --- whole files ---------------------------------------------------------------------


def tree_problems(data: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every (place, problem) in parsed JSON data: broken text and numbers beyond 64 bits.

    The place is written like ``tables.young_people[3].known_as``.
    """
    if isinstance(data, str):
        # Only broken characters here: which text may hold what is each field's rule.
        if has_broken_character(data):
            yield where, "has a broken character in it (a lone surrogate); the file is damaged"

    elif isinstance(data, bool) or data is None or isinstance(data, float):
        return
    elif isinstance(data, int):
        problem = int_problem(data)
        if problem is not None:
            yield where, problem
    elif isinstance(data, dict):
        for key, value in data.items():
            place = _place(where, key)
            if isinstance(key, str) and has_broken_character(key):
                yield place, "has a broken character in a key; the file is damaged"
            yield from tree_problems(value, place)
    elif isinstance(data, list | tuple):
        for number, value in enumerate(data):
            yield from tree_problems(value, f"{where}[{number}]")


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]{1,64}", re.ASCII)


def _place(where: str, key: Any) -> str:
    """``where.key``; an odd key is written escaped, so a message stays on one line."""
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return f"{where}.{key}" if where else key
    return f"{where}[{key!a}]"


def check_tree(data: Any, source: str, *, error: type[SntError]) -> None:
    """Refuse parsed JSON data holding broken text or numbers beyond 64 bits.

    ``error`` is raised with one sentence naming ``source`` and the first bad place.
    """
    for where, problem in tree_problems(data):
        place = f"{source}, {where}" if where else source
        raise error(f"{place}: {problem}; nothing was read from the file.")


# --- names ---------------------------------------------------------------------------


def is_first_name(text: str) -> bool:
    """The known-as rule: a first name or initials, one word of up to 20 letters."""
    return bool(FIRST_NAME.match(text)) and control_character(text) is None


def role_words(labels: Iterable[str]) -> frozenset[str]:
    """The words of row labels such as "a friend's parent", to use as extra role words."""
    words = set()
    for label in labels:
        for word in label.split():
            words.add(_bare(word))
    return frozenset(words - _SMALL_WORDS)


def _bare(word: str) -> str:
    word = word.lower().strip(".,'")
    return word[:-2] if word.endswith("'s") else word


def person_problem(text: str, *, roles: Iterable[str] = ()) -> str | None:
    """Why ``text`` is not a role or a first name, as a phrase, or None.

    A person in a matrix entry is a first name (the known-as rule), or a short role
    such as "Mum", "my big sister", "a teacher" or "Uncle Dave": at least one role word,
    and at most one other word that could be a name. "Jane Smith" is refused.
    """
    problem = text_problem(text)
    if problem is not None:
        return problem
    person = " ".join(text.split())
    if not person:
        return "is empty; write a role (like Mum or a teacher) or a first name"
    if len(person) > MAX_PERSON_LENGTH:
        return (
            f"is too long; write a role or first name only (at most {MAX_PERSON_LENGTH} characters)"
        )
    if is_first_name(person):
        return None
    words = person.split()
    known = ROLE_WORDS | frozenset(r.lower() for r in roles)
    shaped = len(words) <= _MAX_PERSON_WORDS and all(_WORD.match(w) for w in words)
    kinds = [_bare(w) in known for w in words]
    other = [
        w for w, role in zip(words, kinds, strict=True) if not role and _bare(w) not in _SMALL_WORDS
    ]
    if shaped and any(kinds) and len(other) <= 1:
        return None
    return (
        "looks like more than a role or a first name; write a role (like Mum or a "
        "teacher) or a first name only, never a full name"
    )


# --- database URLs -------------------------------------------------------------------

#: The database kinds snt-youth is built and tested for.
SUPPORTED_DATABASES = (
    "SQLite (sqlite:///path/to/casebook.sqlite3, the default)",
    "PostgreSQL (postgresql+psycopg://user@host/dbname, after pip install 'snt-youth[postgres]')",
)


def database_url_problem(url: str) -> str | None:
    """Why ``url`` is not a database snt-youth works with, as a sentence, or None."""
    scheme, sep, _rest = url.partition("://")
    backend = scheme.split("+", 1)[0].lower()
    if sep and backend in ("sqlite", "postgresql", "postgres"):
        return None
    if not sep:
        what = f"{url!r} is not a database URL"
    else:
        what = f"snt-youth does not work with {backend or 'that kind of'} databases"
    return f"{what}; use {' or '.join(SUPPORTED_DATABASES)}."
