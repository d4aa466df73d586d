"""``snt-youth lint-notes``: output, exit codes, JSON, --explain, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from snt_youth.cli import cli

ISSUE_EXAMPLE = "Mum failed to protect the children from the volatile relationship.\n"


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["lint-notes", *args], input=input, catch_exceptions=False)


def test_issue_example_on_stdin_flags_both_phrases_and_exits_1() -> None:
    result = run(input=ISSUE_EXAMPLE)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith('1:5  failure-to-protect  "failed to protect"  It makes')
    assert "  → " in lines[0]
    assert lines[1].startswith('1:45  volatile-relationship  "volatile relationship"')
    assert lines[2].startswith("2 findings.")


def test_clean_notes_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Mr B punched Ms A. Ms A took the children to her sister's.\n")
    result = run(str(path))
    assert result.exit_code == 0
    assert result.stdout.strip() == "No findings."


def test_file_and_dash_give_the_same_findings(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(ISSUE_EXAMPLE)
    assert run(str(path)).stdout == run("-", input=ISSUE_EXAMPLE).stdout


def test_json_output_is_versioned_and_complete() -> None:
    result = run("--json", input="Second line.\nShe provoked him.")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["format"] == "snt-youth-lint-notes"
    assert data["format_version"] == 1
    [finding] = data["findings"]
    assert finding["rule_id"] == "provoked"
    assert (finding["line"], finding["column"], finding["text"]) == (2, 5, "provoked")
    assert finding["start"] == len("Second line.\nShe ")
    assert finding["category"] == "blames-survivor"
    assert finding["suggestions"] and finding["explanation"]


def test_json_output_when_clean_exits_0() -> None:
    result = run("--json", input="Mr B hit Ms A.")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []


def test_explain_prints_the_rule_and_exits_0() -> None:
    result = run("--explain", "a-domestic")
    assert result.exit_code == 0
    assert result.stdout.startswith("a-domestic  (minimises:")
    assert "Try instead:" in result.stdout and "Flags, for example:" in result.stdout


def test_explain_as_json() -> None:
    result = run("--explain", "provoked", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "provoked"


def test_list_rules() -> None:
    result = run("--list-rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) >= 40
    assert ["provoked", "blames-survivor"] in [line.split() for line in lines]


def test_custom_rule_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        'format_version = 1\n[[rule]]\nid = "tiff"\ncategory = "minimises"\n'
        'match = ["tiff"]\nexplanation = "It shrinks the harm."\n'
        'suggestions = ["Say what he did."]\nflags = ["A tiff."]\npasses = ["He hit her."]\n'
    )
    result = run("--rules", str(rules), input="Just a tiff. She provoked him.")
    assert result.exit_code == 1
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["tiff"]


def test_markdown_files_skip_code(tmp_path: Path) -> None:
    doc = tmp_path / "page.md"
    doc.write_text("Avoid `failed to protect` in notes.\n")
    assert run(str(doc)).exit_code == 0
    assert run(str(doc), "--no-markdown").exit_code == 1


@pytest.mark.parametrize(
    ("args", "input", "message"),
    [
        ((), "", "Nothing to check: <stdin> is empty"),
        ((), "   \n", "Nothing to check"),
        ((), b"\x00\x01\x02binary", "looks like a binary file"),
        ((), b"caf\xe9", "not UTF-8"),
        (("--explain", "no-such-rule"), None, "There is no language rule 'no-such-rule'"),
        (("missing.txt",), None, "There is no file 'missing.txt'"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    args: tuple[str, ...], input: str | bytes | None, message: str
) -> None:
    result = run(*args, input=input)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_folder_and_a_malformed_rule_file_exit_2(tmp_path: Path) -> None:
    folder = run(str(tmp_path))
    assert folder.exit_code == 2 and "is a folder" in folder.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("format_version = 1\n[[rule]]\nid = 'x'\ncategory = 'nope'\n")
    result = run("--rules", str(bad), input="text")
    assert result.exit_code == 2
    assert str(bad.resolve()) in result.stderr and "rule[0] (line 2).category" in result.stderr


def test_one_megabyte_through_the_real_command(tmp_path: Path) -> None:
    notes = tmp_path / "big.txt"
    sentence = "Ms A called the police after Mr B threatened her. "
    notes.write_text(sentence * (1_000_000 // len(sentence) + 1) + "\nShe provoked him.\n")
    proc = subprocess.run(
        [sys.executable, "-c", "from snt_youth.cli import main; main()", "lint-notes", str(notes)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0].startswith('2:5  provoked  "provoked"')
    assert proc.stderr == ""
