"""Fuzzing every pure parser of outside input with hostile text and numbers.

``test_content_fuzz.py`` fuzzes the shapes of content files; this file adds what a
hostile person or a damaged file puts *inside* the values: lone surrogates, bytes
that were not UTF-8, control characters, direction marks, far-off years and numbers
beyond 64 bits. Each parser either returns a value or raises one SntError with one
line; nothing else escapes. The CLI and Casebook fuzzing is in
``tests/integration/test_edges_fuzz_cli.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from snt_youth import backup, config, model, outside_text
from snt_youth.errors import ContentError, FormatError, InvalidInput, SntError
from snt_youth.protect import load_matrix, session
from snt_youth.screening import instrument_for, scoring
from snt_youth.tracking.quarters import Quarter

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Characters that have caused trouble: surrogates (lone, and the ones Python uses
#: for undecodable bytes), controls, direction marks, other scripts' digits.
NASTY = st.sampled_from(
    ["\ud800", "\udfff", "\udcff", "\udc80", "\x00", "\x07", "\x1b", "\x7f", "\u202e",
     "\u2066", "\n", "\t", "\r", "٥", "１", "é", "ß", "😀", " ", "'", "-", "."]
)  # fmt: skip
hostile_text = st.lists(st.one_of(NASTY, st.characters(), st.text(max_size=3)), max_size=8).map(
    "".join
)
big_ints = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**64, 10**30]),
)

MATRIX = load_matrix("who-kept-me-safe")
INSTRUMENT = instrument_for(config.load())


def one_line(error: BaseException) -> None:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text
    text.encode("utf-8")  # the message itself can be printed


# --- outside_text itself --------------------------------------------------------------


@FUZZ
@given(hostile_text)
@example("bad\udcff")
@example("Zo\x07e")
def test_text_problem_never_raises_and_names_every_broken_text(text: str) -> None:
    problem = outside_text.text_problem(text)
    broken = any("\ud800" <= ch <= "\udfff" for ch in text)
    if broken:
        assert problem is not None
    if problem is None:
        text.encode("utf-8")  # storable: every driver can encode it


@FUZZ
@given(hostile_text)
def test_check_text_gives_invalid_input_or_the_text_back(text: str) -> None:
    try:
        assert outside_text.check_text(text, "The reason", multiline=True) == text
    except InvalidInput as error:
        one_line(error)
        assert str(error).startswith("The reason ")


@FUZZ
@given(st.one_of(hostile_text, st.dates().map(dt.date.isoformat), st.text(max_size=12)))
@example("0001-03-10")
@example("1899-12-31")
@example("2026-02-30")
@example("2026-03-10\udcff")
def test_parse_date_gives_a_date_from_1900_or_one_sentence(text: str) -> None:
    try:
        day = outside_text.parse_date(text, "--as-at")
    except InvalidInput as error:
        one_line(error)
        assert str(error).startswith("--as-at ")
    else:
        assert outside_text.EARLIEST <= day <= outside_text.LATEST
        Quarter.containing(day)  # the reason for the bound: quarter arithmetic works


@FUZZ
@given(big_ints, st.sampled_from([outside_text.INT64_MIN, 0, 1]))
def test_check_int_keeps_only_what_a_64_bit_column_holds(value: int, minimum: int) -> None:
    try:
        kept = outside_text.check_int(value, "--count", minimum=minimum)
    except InvalidInput as error:
        one_line(error)
        assert value > outside_text.INT64_MAX or value < minimum
    else:
        assert minimum <= kept <= outside_text.INT64_MAX


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), big_ints, hostile_text, st.floats(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=10,
)


@FUZZ
@given(json_values)
def test_tree_check_refuses_exactly_the_unstorable(data: Any) -> None:
    try:
        outside_text.check_tree(data, "fuzz.json", error=FormatError)
    except FormatError as error:
        one_line(error)
        assert str(error).startswith("fuzz.json")
    else:
        # What passes is storable: encodes as UTF-8 and every int fits 64 bits.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        assert all(outside_text.INT64_MIN <= n <= outside_text.INT64_MAX for n in _ints(data))


def _ints(data: Any) -> list[int]:
    if isinstance(data, bool):
        return []
    if isinstance(data, int):
        return [data]
    if isinstance(data, dict):
        return [n for v in data.values() for n in _ints(v)]
    if isinstance(data, list):
        return [n for v in data for n in _ints(v)]
    return []


# --- the backup -----------------------------------------------------------------------


def _backup(tables: dict[str, Any]) -> dict[str, Any]:
    return backup.envelope(tables, schema_revision="0002", at="2026-01-01T00:00:00", by="t")


@FUZZ
@given(
    table=st.sampled_from(["young_people", "support_offers", "sessions", "audit_events"]),
    field=st.sampled_from(["known_as", "contacts", "id", "detail", "team"]),
    value=st.one_of(big_ints, hostile_text),
)
def test_backup_check_gives_tables_or_one_format_error(table: str, field: str, value: Any) -> None:
    data = _backup({table: [{field: value}]})
    try:
        tables = backup.check(json.loads(json.dumps(data)), "fuzz.json")
    except FormatError as error:
        one_line(error)
        assert f"{table}[0].{field}" in str(error)
    else:
        # Compare with the value as JSON reads it back: a high and a low surrogate side
        # by side ("\\ud800\\udcff") decode as one real character, which is fine text.
        assert tables[table][0][field] == json.loads(json.dumps(value))


# --- the person in a matrix entry, and known-as ---------------------------------------


@FUZZ
@given(person=hostile_text, domain=st.one_of(hostile_text, st.sampled_from(MATRIX.column_ids)))
def test_validate_entries_gives_entries_or_invalid_input(person: str, domain: str) -> None:
    try:
        (checked,) = session.validate_entries(MATRIX, [model.MatrixEntry(person, domain, "w")])
    except InvalidInput as error:
        one_line(error)
    else:
        assert outside_text.person_problem(checked.person) is None
        checked.person.encode("utf-8")


first = st.from_regex(r"\A[A-Z][a-z]{2,8}\Z")


@FUZZ
@given(first, first)
def test_a_first_name_and_a_surname_is_never_a_person(given_name: str, surname: str) -> None:
    words = {given_name.lower(), surname.lower()}
    if words & (outside_text.ROLE_WORDS | {"a", "an", "my", "the", "of", "in", "at"}):
        return  # "Nan Big" is a role; the rule is about two names
    full = f"{given_name} {surname}"
    assert outside_text.person_problem(full) is not None
    with pytest.raises(InvalidInput, match=r"role .* or a first name"):
        session.validate_entries(MATRIX, [model.MatrixEntry(full, "safe")])


@pytest.mark.parametrize(
    "person",
    ["Mum", "Nan", "my Nan", "a teacher", "Big sister", "Youth worker", "Uncle Dave",
     "Kai's mum", "someone at school", "a friend's parent", "Teacher", "Gran", "JS"],
)  # fmt: skip
def test_roles_and_first_names_are_people(person: str) -> None:
    assert outside_text.person_problem(person) is None
    assert session.validate_entries(MATRIX, [model.MatrixEntry(person, "safe")])


@pytest.mark.parametrize(
    "person",
    ["Jane Smith", "Mrs Patel", "Uncle Dave Smith", "Mum\x1b[2J", "Dad\u202e", "Nan\ud800"],
)
def test_full_names_and_broken_text_are_not_people(person: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        session.validate_entries(MATRIX, [model.MatrixEntry(person, "safe")])
    one_line(caught.value)


@FUZZ
@given(hostile_text)
def test_known_as_and_a_one_word_person_follow_one_rule(text: str) -> None:
    tidy = " ".join(text.split())
    if " " in tidy or not tidy:
        return
    # A one-word person is accepted exactly when it passes the known-as rule, or is a role.
    is_role = tidy.lower() in outside_text.ROLE_WORDS
    accepted = outside_text.person_problem(tidy) is None
    if not is_role:
        assert accepted == outside_text.is_first_name(tidy)


# --- the entries file, answers and quarters -------------------------------------------


@FUZZ
@given(person=hostile_text, reflection=hostile_text)
def test_entries_text_gives_input_or_one_error(person: str, reflection: str) -> None:
    data = {
        "format": session.FORMAT,
        "format_version": 1,
        "entries": [{"person": person, "domain": "safe"}],
        "reflection": reflection,
    }
    text = json.dumps(data)  # ASCII escapes: \ud800 arrives as a lone surrogate
    try:
        parsed = session.parse_entries(text, "fuzz.json")
        session.validate_input(MATRIX, parsed, source="fuzz.json")
    except (ContentError, InvalidInput) as error:
        one_line(error)


@FUZZ
@given(
    item=st.one_of(st.sampled_from([i.id for i in INSTRUMENT.items]), hostile_text),
    response=st.one_of(hostile_text, st.sampled_from(["y", "n", "no", "yes-now", "-", " p "])),
)
def test_check_answer_gives_a_code_or_one_sentence(item: str, response: str) -> None:
    try:
        code = scoring.check_answer(INSTRUMENT, {}, item, response)
    except SntError as error:
        one_line(error)
    else:
        assert code in INSTRUMENT.item(item).codes


quarter_text = st.one_of(
    hostile_text,
    st.builds(
        lambda y, q, sep, fy: f"{y}{fy}{sep}Q{q}",
        st.integers(0, 10000),
        st.integers(-1, 12),
        st.sampled_from([" ", "", "-", "  "]),
        st.sampled_from(["", "-26", "/26", "-2027", "-00"]),
    ),
)


@FUZZ
@given(quarter_text, st.booleans())
@example("2026 Q5", False)
@example("2025-26 Q٥", False)
def test_quarter_text_gives_a_quarter_or_one_sentence(text: str, calendar: bool) -> None:
    try:
        quarter = Quarter.parse(text, calendar)
    except InvalidInput as error:
        one_line(error)
        assert "looks like a calendar quarter" not in str(error) or not any(
            f"q{n}" in text.lower() for n in (0, 5, 6, 7, 8, 9)
        )
    else:
        assert quarter.number in (1, 2, 3, 4)
        assert Quarter.parse(str(quarter), calendar) == quarter
