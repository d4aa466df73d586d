"""Session entries: checking them, the outcome, and the entries JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.paths import DOCS

from snt_youth import codec
from snt_youth.errors import FormatError, InvalidInput
from snt_youth.model import MatrixEntry
from snt_youth.protect.matrix import Matrix, load_matrix
from snt_youth.protect.session import (
    FORMAT,
    FORMAT_VERSION,
    SessionInput,
    dump_entries,
    entries_from_data,
    entries_to_data,
    parse_entries,
    protective_adult_identified,
    read_entries_file,
    validate_entries,
    validate_input,
)

MATRIX = load_matrix("who-kept-me-safe")


def document(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "entries": [{"person": "Mum", "domain": "safe", "words": "She took me to Nan's."}],
        "reflection": "Mum did a lot.",
        "next_steps": "Talk to Mum.",
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not ...}


def write(tmp_path: Path, data: Any, name: str = "entries.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return path


# --- the outcome -----------------------------------------------------------------


def test_one_adult_entry_means_a_protective_adult_was_identified() -> None:
    entries = [MatrixEntry(person="Nan", domain="cared", words="She made me tea.")]
    assert protective_adult_identified(MATRIX, entries) is True


def test_no_entries_means_no_protective_adult() -> None:
    assert protective_adult_identified(MATRIX, []) is False


def test_an_entry_outside_the_matrix_does_not_count() -> None:
    assert protective_adult_identified(MATRIX, [MatrixEntry("Nan", "brave")]) is False
    assert protective_adult_identified(MATRIX, [MatrixEntry("  ", "safe")]) is False


def test_words_are_not_needed_for_the_outcome() -> None:
    assert protective_adult_identified(MATRIX, [MatrixEntry("a teacher", "steady")]) is True


# --- validating entries -------------------------------------------------------------


def test_valid_entries_are_tidied() -> None:
    checked = validate_entries(
        MATRIX, [MatrixEntry(person="  my   Nan ", domain=" better ", words=" hugs \n")]
    )
    assert checked == (MatrixEntry(person="my Nan", domain="better", words="hugs"),)


def test_domain_not_in_matrix_lists_allowed_ids() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_entries(MATRIX, [MatrixEntry("Mum", "safe"), MatrixEntry("Dad", "kept you safe")])
    message = str(caught.value)
    assert "entry 2 (Dad)" in message
    assert "'kept you safe' is not a column of matrix 'who-kept-me-safe'" in message
    assert "safe, steady, better, cared" in message


@pytest.mark.parametrize("person", ["", "   ", "\n"])
def test_empty_person_is_refused(person: str) -> None:
    with pytest.raises(InvalidInput, match="entry 1 has no person"):
        validate_entries(MATRIX, [MatrixEntry(person, "safe")])


def test_long_person_label_is_refused() -> None:
    with pytest.raises(InvalidInput, match="role or first name only"):
        validate_entries(
            MATRIX, [MatrixEntry("Mrs Jane Example of 12 Long Street, Townsville", "safe")]
        )


def test_source_is_named_in_errors() -> None:
    with pytest.raises(InvalidInput, match=r"^day1\.json: entry 1"):
        validate_entries(MATRIX, [MatrixEntry("", "safe")], source="day1.json")


def test_validate_input_checks_the_matrix_id() -> None:
    data = SessionInput(entries=(MatrixEntry("Mum", "safe"),), matrix_id="who-helps-me-now")
    with pytest.raises(InvalidInput, match="--matrix who-helps-me-now"):
        validate_input(MATRIX, data)
    fixed = validate_input(MATRIX, SessionInput(entries=data.entries, reflection=" ok "))
    assert fixed.matrix_id == MATRIX.id
    assert fixed.reflection == "ok"


def test_columns_come_from_the_matrix_not_the_code(tmp_path: Path) -> None:
    source = Path(MATRIX.source).read_text(encoding="utf-8")
    renamed = source.replace('id = "cared"', 'id = "love"')
    path = tmp_path / "mine.toml"
    path.write_text(renamed, encoding="utf-8")
    mine: Matrix = load_matrix(path)
    assert validate_entries(mine, [MatrixEntry("Nan", "love")])
    with pytest.raises(InvalidInput, match="safe, steady, better, love"):
        validate_entries(mine, [MatrixEntry("Nan", "cared")])


# --- the entries file ----------------------------------------------------------------


def test_read_entries_file(tmp_path: Path) -> None:
    data = read_entries_file(write(tmp_path, document(matrix="who-kept-me-safe")))
    assert data.entries == (MatrixEntry("Mum", "safe", "She took me to Nan's."),)
    assert data.reflection == "Mum did a lot."
    assert data.next_steps == "Talk to Mum."
    assert data.matrix_id == "who-kept-me-safe"


def test_optional_fields_may_be_left_out(tmp_path: Path) -> None:
    doc = document(reflection=..., next_steps=..., entries=[{"person": "Nan", "domain": "safe"}])
    data = read_entries_file(write(tmp_path, doc))
    assert data == SessionInput(entries=(MatrixEntry("Nan", "safe", ""),))


def test_empty_entries_is_allowed(tmp_path: Path) -> None:
    data = read_entries_file(write(tmp_path, document(entries=[])))
    assert data.entries == ()
    assert protective_adult_identified(MATRIX, data.entries) is False


def test_example_in_docs_parses() -> None:
    text = (DOCS / "direct-work.md").read_text("utf-8")
    block = text.split("```json\n", 1)[1].split("```", 1)[0]
    data = parse_entries(block, "docs/direct-work.md")
    assert validate_input(MATRIX, data).entries


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param('{"format": ', "line 1 column 12: not valid JSON", id="bad-json"),
        pytest.param("[]", "should be an object {...}, not a list", id="not-an-object"),
        pytest.param(document(format=...), "format: is missing", id="no-format"),
        pytest.param(
            document(format="snt-youth/backup"), "format: is 'snt-youth/backup'", id="wrong-format"
        ),
        pytest.param(
            document(format_version=2), "written by a newer snt-youth", id="newer-version"
        ),
        pytest.param(document(format_version="1"), "whole number", id="version-as-text"),
        pytest.param(document(entries=...), "entries: missing", id="no-entries"),
        pytest.param(document(entries={"person": "Mum"}), "should be a list", id="entries-object"),
        pytest.param(document(entries=["Mum"]), "entries[0]: should be an object", id="entry-text"),
        pytest.param(
            document(entries=[{"domain": "safe"}]),
            "entries[0]: missing field 'person'",
            id="no-person",
        ),
        pytest.param(
            document(entries=[{"person": "Mum"}]),
            "entries[0]: missing field 'domain'",
            id="no-domain",
        ),
        pytest.param(
            document(entries=[{"person": "Mum", "domain": "safe", "wrods": "x"}]),
            "entries[0].wrods: unknown field 'wrods' (allowed here: domain, person, words); "
            "did you mean 'words'?",
            id="unknown-entry-field",
        ),
        pytest.param(
            document(entries=[{"person": 3, "domain": "safe"}]),
            "entries[0].person: should be text",
            id="person-number",
        ),
        pytest.param(document(notes="hi"), "notes: unknown field 'notes'", id="unknown-top-field"),
        pytest.param(
            document(reflection=["a"]), "reflection: should be text", id="reflection-list"
        ),
        pytest.param(document(matrix=1), "matrix: should be text", id="matrix-number"),
    ],
)
def test_bad_entries_file_names_file_and_problem(
    tmp_path: Path, content: Any, problem: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(FormatError) as caught:
        read_entries_file(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert problem in message


def test_missing_entries_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="file not found"):
        read_entries_file(tmp_path / "none.json")


def test_entries_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "photo.json"
    path.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(FormatError, match="not UTF-8"):
        read_entries_file(path)


# --- round trips -------------------------------------------------------------------

texts = st.text(max_size=40)  # hypothesis leaves out lone surrogates already
entries = st.builds(
    MatrixEntry,
    person=texts,
    domain=st.sampled_from(MATRIX.column_ids),
    words=texts,
)
inputs = st.builds(
    SessionInput,
    entries=st.lists(entries, max_size=5).map(tuple),
    reflection=texts,
    next_steps=texts,
    matrix_id=st.none() | st.sampled_from(["who-kept-me-safe", "who-helps-me-now"]),
)


@given(inputs)
def test_entries_file_round_trip(data: SessionInput) -> None:
    assert parse_entries(dump_entries(data)) == data
    assert entries_from_data(entries_to_data(data)) == data


@given(st.lists(entries, max_size=5).map(tuple))
def test_codec_round_trip_of_entries(items: tuple[MatrixEntry, ...]) -> None:
    plain = codec.unstructure(items)
    assert codec.structure(plain, tuple[MatrixEntry, ...]) == items
    json.dumps(plain)


@given(st.lists(entries, max_size=5))
def test_outcome_is_yes_exactly_when_some_entry_names_a_person(items: list[MatrixEntry]) -> None:
    expected = any(e.person.strip() for e in items)
    assert protective_adult_identified(MATRIX, items) is expected


@given(st.lists(entries, min_size=1, max_size=5))
def test_validated_entries_always_give_yes(items: list[MatrixEntry]) -> None:
    try:
        checked = validate_entries(MATRIX, items)
    except InvalidInput:
        return
    assert protective_adult_identified(MATRIX, checked) is True
