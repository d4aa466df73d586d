"""``snt-youth matrix list/show/check`` as a champion would use them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.support.paths import MATRICES

from snt_youth.cli import cli

Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    # Matrix commands need no database; point it somewhere harmless anyway.
    monkeypatch.setenv("SNT_YOUTH_DB", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("SNT_YOUTH_HOME", str(tmp_path))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_matrix_is_a_command(run: Run) -> None:
    result = run("--help")
    assert "matrix" in result.output


def test_list(run: Run) -> None:
    result = run("matrix", "list")
    assert result.exit_code == 0, result.output
    assert "who-kept-me-safe" in result.output
    assert "Who tried to keep you safe?" in result.output
    assert "who-helps-me-now" in result.output
    assert "safe, steady, better, cared" in result.output


def test_list_json(run: Run) -> None:
    result = run("matrix", "list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [m["id"] for m in data] == ["who-helps-me-now", "who-kept-me-safe"]
    assert data[1]["columns"][0] == {"id": "safe", "label": "kept you safe"}


def test_show_prints_columns_and_question_templates(run: Run) -> None:
    result = run("matrix", "show", "who-kept-me-safe")
    assert result.exit_code == 0, result.output
    out = result.output
    for label in (
        "kept you safe",
        "kept life steady",
        "helped you feel better",
        "looked after you",
    ):
        assert label in out
    assert "Opening:" in out and "Follow-up:" in out and "Noticing strengths:" in out
    assert "Can you think of a time when [person] tried to keep you safe?" in out
    assert "If the young person tells you something new" in out
    assert "a friend's parent" in out
    assert "Reflection (young person)" in out


def test_show_for_a_person(run: Run) -> None:
    result = run("matrix", "show", "who-kept-me-safe", "--person", "Nan")
    assert "Can you think of a time when Nan tried to keep you safe?" in result.output


def test_show_json_is_the_whole_matrix(run: Run) -> None:
    result = run("matrix", "show", "who-helps-me-now", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == "who-helps-me-now"
    assert [c["id"] for c in data["columns"]] == ["safe", "steady", "better", "cared"]
    assert "{person}" in data["columns"][0]["questions"]["opening"]
    assert data["guidance"]["new_disclosure"]


def test_show_unknown_matrix_is_one_clear_line(run: Run) -> None:
    result = run("matrix", "show", "who-knows")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: There is no matrix 'who-knows'.")
    assert "who-kept-me-safe" in result.stderr
    assert "Traceback" not in result.output


def test_show_bad_file_names_file_and_key(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('format_version = 1\nid = "mine"\n', encoding="utf-8")
    result = run("matrix", "show", str(path))
    assert result.exit_code == 2
    assert f"Error: {path}, top level: missing key" in result.stderr


def test_check_a_shipped_matrix(run: Run) -> None:
    result = run("matrix", "check", "who-kept-me-safe")
    assert result.exit_code == 0, result.output
    assert "loads correctly" in result.output


def test_check_warns_about_hard_words(run: Run, tmp_path: Path) -> None:
    source = MATRICES / "who-kept-me-safe.toml"
    text = source.read_text(encoding="utf-8").replace(
        '"There are no right or wrong answers."',
        '"Unfortunately, comprehensive answers are obligatory."',
    )
    path = tmp_path / "hard.toml"
    path.write_text(text, encoding="utf-8")
    result = run("matrix", "check", str(path))
    assert result.exit_code == 1
    assert "intro[3]: hard words" in result.output
