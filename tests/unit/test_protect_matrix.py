"""Loading matrix definitions, and every way a matrix file can be wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from snt_youth import locations
from snt_youth.errors import ContentError, NotFound
from snt_youth.protect.matrix import (
    ANY_PERSON,
    FORMAT_VERSION,
    Matrix,
    fill,
    list_matrices,
    load_matrix,
    parse_matrix,
)

SHIPPED = ("who-helps-me-now", "who-kept-me-safe")
COLUMN_IDS = ("safe", "steady", "better", "cared")

# The smallest valid matrix. Each test below breaks one thing in it.
MINIMAL = """\
format_version = 1
id = "tiny"
version = "1"
title = "Tiny"
purpose = "For tests."
intro = ["Hello."]

[[columns]]
id = "safe"
label = "kept you safe"
domain = "safety"
meaning = "Stopped you getting hurt."
about = "Safety."

[columns.questions]
opening = "What did {person} do?"
follow_up = ["Then what?"]
strengths = ["That was kind."]

[[columns]]
id = "cared"
label = "looked after you"
domain = "nurturance"
meaning = "Showed you care."
about = "Nurturance."

[columns.questions]
opening = "How did {person} show care?"
follow_up = ["What else?"]
strengths = ["That counts."]

[[rows]]
id = "parent"
label = "a parent"

[guidance]
pacing = ["Go slowly."]
stopping = ["Stop when asked."]
new_disclosure = ["Follow the safeguarding procedure."]

[closing]
reflection = ["Who did you name?"]
goodbye = "Thank you."
"""


def write(tmp_path: Path, text: str, name: str = "tiny.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(old: str, new: str) -> str:
    assert old in MINIMAL, old  # keeps the mutations honest if MINIMAL changes
    return MINIMAL.replace(old, new, 1)


# --- the shipped matrices --------------------------------------------------------


def test_matrices_folder_is_found() -> None:
    assert (locations.matrices_dir() / "who-kept-me-safe.toml").is_file()


def test_list_matrices_gives_both_shipped_matrices_sorted() -> None:
    assert tuple(m.id for m in list_matrices()) == SHIPPED


@pytest.mark.parametrize("matrix_id", SHIPPED)
def test_shipped_matrix_has_the_four_protective_domains(matrix_id: str) -> None:
    matrix = load_matrix(matrix_id)
    assert matrix.id == matrix_id
    assert matrix.format_version == FORMAT_VERSION
    assert matrix.column_ids == COLUMN_IDS
    assert [c.domain for c in matrix.columns] == ["safety", "stability", "healing", "nurturance"]
    assert len(matrix.rows) == 9
    for column in matrix.columns:
        assert column.questions.follow_up
        assert column.questions.strengths
    assert matrix.guidance.pacing and matrix.guidance.stopping and matrix.guidance.new_disclosure
    assert matrix.closing.reflection and matrix.closing.goodbye


def test_main_matrix_words() -> None:
    matrix = load_matrix("who-kept-me-safe")
    assert matrix.title == "Who tried to keep you safe?"
    assert [c.label for c in matrix.columns] == [
        "kept you safe",
        "kept life steady",
        "helped you feel better",
        "looked after you",
    ]
    assert [r.label for r in matrix.rows] == [
        "a parent",
        "a grandparent",
        "a brother or sister",
        "other family",
        "a teacher",
        "a neighbour",
        "a friend's parent",
        "a youth worker",
        "someone else",
    ]
    assert "protect" in matrix.purpose


def test_second_matrix_is_about_now() -> None:
    matrix = load_matrix("who-helps-me-now")
    assert matrix.title == "Who helps you now?"
    assert matrix.column("safe").label == "keeps you safe"


def test_load_by_path_and_by_id_agree() -> None:
    by_id = load_matrix("who-kept-me-safe")
    by_path = load_matrix(locations.matrices_dir() / "who-kept-me-safe.toml")
    assert by_id == by_path


def test_unknown_matrix_lists_those_available() -> None:
    with pytest.raises(NotFound) as caught:
        load_matrix("who-knows")
    assert "who-kept-me-safe" in str(caught.value)
    assert "who-helps-me-now" in str(caught.value)


def test_unknown_column_lists_the_ids() -> None:
    with pytest.raises(NotFound, match="safe, steady, better, cared"):
        load_matrix("who-kept-me-safe").column("brave")


def test_questions_fill_in_the_person() -> None:
    column = load_matrix("who-kept-me-safe").column("safe")
    rendered = column.questions.render("Nan")
    assert rendered.opening == "Can you think of a time when Nan tried to keep you safe?"
    assert all("{" not in q for q in rendered.all())
    assert ANY_PERSON in column.questions.render().opening


def test_fill_capitalises_a_question_that_starts_with_the_person() -> None:
    assert fill("{person} was kind.", "this person") == "This person was kind."
    assert fill("Was {person} kind?", "Mum") == "Was Mum kind?"


def test_minimal_matrix_loads() -> None:
    matrix = parse_matrix(MINIMAL, "tiny.toml")
    assert isinstance(matrix, Matrix)
    assert matrix.column_ids == ("safe", "cared")
    assert matrix.rows[0].examples == ""
    assert matrix.guidance.before == ()


def test_multi_line_text_is_tidied() -> None:
    matrix = parse_matrix(broken('purpose = "For tests."', 'purpose = """\nFor\n   tests.\n"""'))
    assert matrix.purpose == "For tests."


# --- validation: every error names the file, the key and the problem -------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "problem"),
    [
        pytest.param('title = "Tiny"\n', "", "top level", "missing key 'title'", id="missing-key"),
        pytest.param(
            'opening = "What did {person} do?"\n',
            "",
            "columns[0].questions",
            "missing key 'opening'",
            id="missing-nested-key",
        ),
        pytest.param(
            'id = "cared"',
            'id = "safe"',
            "columns[1].id",
            "duplicate column id 'safe'",
            id="duplicate-column",
        ),
        pytest.param(
            'label = "a parent"\n',
            'label = "a parent"\n\n[[rows]]\nid = "parent"\nlabel = "again"\n',
            "rows[1].id",
            "duplicate row id 'parent'",
            id="duplicate-row",
        ),
        pytest.param(
            'goodbye = "Thank you."',
            'goodbye = "   "',
            "closing.goodbye",
            "is empty",
            id="empty-text",
        ),
        pytest.param(
            'follow_up = ["Then what?"]',
            'follow_up = ["Then what?", ""]',
            "columns[0].questions.follow_up[1]",
            "is empty",
            id="empty-text-in-list",
        ),
        pytest.param(
            'follow_up = ["Then what?"]',
            "follow_up = []",
            "columns[0].questions.follow_up",
            "empty list",
            id="empty-list",
        ),
        pytest.param(
            'title = "Tiny"',
            'title = "Tiny"\ncolour = "blue"',
            "colour",
            "unknown key 'colour'",
            id="unknown-key",
        ),
        pytest.param(
            'goodbye = "Thank you."',
            'goodbye = "Thank you."\ngoodbey = "Bye."',
            "closing.goodbey",
            "did you mean 'goodbye'?",
            id="unknown-key-typo",
        ),
        pytest.param(
            "format_version = 1",
            "format_version = 2",
            "format_version",
            "written by a newer snt-youth",
            id="newer-format",
        ),
        pytest.param(
            "format_version = 1",
            'format_version = "1"',
            "format_version",
            "should be a whole number",
            id="format-version-text",
        ),
        pytest.param(
            'version = "1"',
            "version = 1",
            "version",
            "should be text in quotes",
            id="number-for-text",
        ),
        pytest.param(
            'follow_up = ["Then what?"]',
            'follow_up = "Then what?"',
            "columns[0].questions.follow_up",
            "should be a list of texts",
            id="text-for-list",
        ),
        pytest.param(
            'domain = "safety"',
            'domain = "bravery"',
            "columns[0].domain",
            "unknown domain 'bravery'",
            id="unknown-domain",
        ),
        pytest.param(
            'id = "cared"',
            'id = "Looked After"',
            "columns[1].id",
            "not a usable id",
            id="bad-id",
        ),
        pytest.param(
            'opening = "What did {person} do?"',
            'opening = "What did {name} do?"',
            "columns[0].questions.opening",
            "unknown placeholder {name}",
            id="unknown-placeholder",
        ),
        pytest.param(
            "new_disclosure = [",
            "new_disclosures = [",
            "guidance",
            "missing key 'new_disclosure'",
            id="missing-guidance",
        ),
    ],
)
def test_bad_matrix_names_file_key_and_problem(
    tmp_path: Path, old: str, new: str, where: str, problem: str
) -> None:
    path = write(tmp_path, broken(old, new))
    with pytest.raises(ContentError) as caught:
        load_matrix(path)
    error = caught.value
    assert error.path == str(path)
    # Entries of a [[list]] carry the line they start on: "columns[1] (line 22).id".
    assert re.sub(r" \(line \d+\)", "", error.where) == where
    assert problem in error.problem
    assert str(error).startswith(f"{path}, {error.where}: ")
    assert str(error).count("\n") == 0


def test_no_columns_is_refused() -> None:
    text = MINIMAL.split("[[columns]]")[0] + "columns = []\n" + MINIMAL.split("[[rows]]", 1)[1]
    text = text.replace('\nid = "parent"', '[[rows]]\nid = "parent"', 1)
    with pytest.raises(ContentError) as caught:
        parse_matrix(text, "x.toml")
    assert caught.value.where == "columns"


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, broken('title = "Tiny"', 'title = "Tiny'))
    with pytest.raises(ContentError) as caught:
        load_matrix(path)
    assert caught.value.path == str(path)
    assert caught.value.where == "line 4"
    assert "not valid TOML" in caught.value.problem


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="file not found"):
        load_matrix(tmp_path / "nothing.toml")


def test_id_must_match_file_name_in_matrices_folder(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "other.toml")
    with pytest.raises(ContentError) as caught:
        list_matrices(tmp_path)
    assert caught.value.where == "id"
    assert "does not match the file name 'other.toml'" in caught.value.problem


def test_one_bad_file_stops_the_listing(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "tiny.toml")
    write(tmp_path, MINIMAL.replace('id = "tiny"', 'id = "zz"').replace("= 1", "= 9", 1), "zz.toml")
    with pytest.raises(ContentError) as caught:
        list_matrices(tmp_path)
    assert caught.value.path.endswith("zz.toml")


def test_load_by_id_from_another_folder(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL)
    assert load_matrix("tiny", folder=tmp_path).title == "Tiny"
    with pytest.raises(NotFound, match="Matrices available: tiny"):
        load_matrix("small", folder=tmp_path)


def test_missing_matrices_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="matrices folder is missing"):
        list_matrices(tmp_path / "gone")
