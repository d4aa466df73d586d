"""Every outside input that once gave a traceback now gives one sentence and exit 2.

Each test feeds one of the inputs listed in issue 12 to the real command line (a real
SQLite file with a small demo caseload) and checks three things: exit code 2, an
``Error:`` line that says what to do, and no traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from snt_youth.cli import cli


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file with three demo young people (YJ-1001..1003), screenings and offers."""
    folder = tmp_path_factory.mktemp("edges")
    url = f"sqlite:///{folder / 'casebook.sqlite3'}"
    result = CliRunner().invoke(
        cli, ["--db", url, "demo", "--young-people", "3", "--seed", "1"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture
def run(demo_db: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, db: str | None = demo_db) -> Result:
        base = ["--db", db] if db else []
        return runner.invoke(cli, [*base, *args])

    return invoke


def refused(result: Result, *phrases: str) -> str:
    """The error line of a refused command, after checking it is one clean sentence."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


# --- broken text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--user", "bad\udcff", "young-person", "list"),
        ("young-person", "add", "YJ-5001", "--dob", "2010-01-01", "--team", "north",
         "--officer", "bad\udcff"),
        ("screening", "amend", "1", "--reason", "bad\udcff", "--set", "home-hurt=no"),
        ("screening", "amend", "1", "--reason=bad\udcff", "--set", "home-hurt=no"),
        ("support", "end", "1", "--reason", "completed", "--date", "2026\udcff"),
    ],
)  # fmt: skip
def test_bytes_that_are_not_utf8_in_an_argument(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    line = refused(run(*args), "not UTF-8", "\\xff")
    where = next(i for i, a in enumerate(args) if "\udcff" in a)
    option = args[where].split("=")[0] if "=" in args[where] else args[where - 1]
    assert f"The value given for {option} " in line


def test_invalid_utf8_from_a_real_terminal(demo_db: str, tmp_path: Path) -> None:
    """The bytes go through the real interpreter, as a shell would pass them."""
    env = {**os.environ, "SNT_YOUTH_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    args = [sys.executable, "-m", "snt_youth", "--db", demo_db, "screening", "amend", "1"]
    done = subprocess.run(
        [*args, b"--reason", b"bad\xff", "--set", "home-hurt=no"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert b"--reason has bytes that are not UTF-8 (\\xff)" in done.stderr


def test_lone_surrogate_in_an_argument(run) -> None:  # type: ignore[no-untyped-def]
    refused(run("young-person", "list", "--search", "a\ud800"), "broken character")


def test_control_characters_in_names_are_refused(run) -> None:  # type: ignore[no-untyped-def]
    line = refused(
        run("young-person", "add", "YJ-5002", "--dob", "2010-01-01", "--team", "north",
            "--officer", "A. \x1b[31mOfficer"),
        "--officer", "control character (U+001B)",
    )  # fmt: skip
    assert "\x1b" not in line
    refused(run("--user", "r.ahmed\x07", "young-person", "list"), "--user", "U+0007")


def test_lone_surrogate_in_a_session_entries_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    entries = tmp_path / "entries.json"
    entries.write_text(
        '{"format": "snt-youth/session-entries", "format_version": 1,'
        ' "entries": [{"person": "Mum\\ud800", "domain": "safe"}]}',
        encoding="utf-8",
    )
    refused(
        run("session", "record", "YJ-1001", "--matrix", "who-kept-me-safe",
            "--entries", str(entries)),
        "entries[0].person", "broken character",
    )  # fmt: skip


def _backup(run, tmp_path: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    out = tmp_path / "backup.json"
    assert run("export", "--plain", "-o", str(out)).exit_code == 0  # JSON to change by hand
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def _import(run, tmp_path: Path, data: dict[str, Any]) -> Result:  # type: ignore[no-untyped-def]
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # ensure_ascii: \ud800 stays escaped
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return run("import", str(path), db=empty)


def test_lone_surrogate_in_a_backup(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _backup(run, tmp_path)
    data["tables"]["young_people"][0]["known_as"] = "Zo\ud800"
    refused(_import(run, tmp_path, data), "young_people[0].known_as", "broken character")


def test_integer_beyond_64_bits_in_a_backup(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _backup(run, tmp_path)
    data["tables"]["support_offers"][0]["contacts"] = 2**64
    refused(_import(run, tmp_path, data), "support_offers[0].contacts", "too big")


# --- dates and numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("report", "quarterly", "--as-at", "0001-03-10"),
        ("audit", "--since", "1899-12-31"),
        ("young-person", "add", "YJ-5003", "--dob", "0001-01-01", "--team", "north"),
        ("screening", "start", "YJ-1001", "--stage", "post-court", "--date", "1066-10-14"),
        ("support", "offer", "YJ-1001", "--service", "cyp-recovery", "--date", "0999-01-01"),
        ("support", "update", "1", "--start", "1800-01-01"),
        ("session", "list", "YJ-1001"),  # a control: this one works
    ],
)
def test_dates_before_1900(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    if args[0] == "session":
        assert result.exit_code == 0
        return
    refused(result, "before 1900", "check the year")


@pytest.mark.parametrize(
    "args",
    [
        ("screening", "show", str(2**63)),
        ("support", "contact", "1", "--count", str(10**30)),
        ("session", "show", str(2**70)),
        ("support", "offer", "YJ-1001", "--service", "cyp-recovery", "--screening", str(2**64)),
    ],
)
def test_integers_beyond_64_bits_in_options(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    refused(run(*args), "too big a number")


def test_a_record_number_below_one(run) -> None:  # type: ignore[no-untyped-def]
    refused(run("screening", "show", "0"), "not a record number")


# --- messages that misled -------------------------------------------------------------


def test_unsupported_database_names_what_works(run) -> None:  # type: ignore[no-untyped-def]
    line = refused(run("young-person", "list", db="mysql://x"))
    assert "mysql" in line and "SQLite" in line and "PostgreSQL" in line
    assert "pip install 'snt-youth[postgres]'" in line


def test_a_file_that_is_not_a_database(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, just notes\n" * 200, encoding="utf-8")
    line = refused(run("young-person", "list", db=f"sqlite:///{notes}"))
    assert "is not an snt-youth database" in line
    assert "refused the change" not in line
    assert notes.read_text(encoding="utf-8").startswith("not a database")


def test_failed_paper_screening_names_no_stored_screening(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answers = tmp_path / "answers.json"
    answers.write_text('{"home-hurt": "no"}', encoding="utf-8")
    before = run("screening", "list", "YJ-1001", "--json")
    line = refused(
        run("screening", "record", "YJ-1001", "--stage", "post-court", "--answers", str(answers)),
        "Nothing was stored for YJ-1001",
        "the paper screening cannot be completed yet",
    )
    stored = {s["id"] for s in json.loads(before.output)}
    after = {s["id"] for s in json.loads(run("screening", "list", "YJ-1001", "--json").output)}
    assert after == stored
    assert not any(f"Screening {n}" in line for n in range(1, 1000))


def test_paper_screening_answers_file_goes_through_the_content_reader(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answers = tmp_path / "answers.json"
    answers.write_bytes(b'{"home-hurt": "n\xffo"}')
    refused(
        run("screening", "record", "YJ-1001", "--stage", "post-court", "--answers", str(answers)),
        "answers.json", "not UTF-8",
    )  # fmt: skip


def test_team_ids_match_regardless_of_case(run) -> None:  # type: ignore[no-untyped-def]
    added = run("young-person", "add", "YJ-5004", "--dob", "2010-01-01", "--team", "North")
    assert added.exit_code == 0, added.output
    assert "team north" in added.output
    listed = run("young-person", "list", "--team", " WEST ", "--json")
    assert listed.exit_code == 0
    assert {row["team"] for row in json.loads(listed.output)} == {"west"}
    refused(run("young-person", "list", "--team", "Narnia"), "Unknown team 'narnia'")


def test_a_calendar_looking_quarter_with_no_such_number(run) -> None:  # type: ignore[no-untyped-def]
    line = refused(run("report", "quarterly", "--quarter", "2026 Q5"), "there is no quarter 5")
    assert "looks like a calendar quarter" not in line


@pytest.mark.parametrize(
    ("typed", "meant"), [("young-peson", "young-person"), ("scrning", "screening")]
)
def test_a_mistyped_command_group_gets_did_you_mean(run, typed: str, meant: str) -> None:  # type: ignore[no-untyped-def]
    result = run(typed, "list")
    assert result.exit_code == 2
    assert f"Did you mean '{meant}'?" in result.output


def test_a_mistyped_subcommand_still_gets_did_you_mean(run) -> None:  # type: ignore[no-untyped-def]
    assert "Did you mean 'list'?" in run("young-person", "lst").output


# --- the person in a matrix entry -----------------------------------------------------


def test_full_name_as_a_person_in_a_session_is_refused(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    entries = tmp_path / "entries.json"
    entries.write_text(
        json.dumps(
            {
                "format": "snt-youth/session-entries",
                "format_version": 1,
                "entries": [{"person": "Jane Smith", "domain": "safe", "words": "She hid me."}],
            }
        ),
        encoding="utf-8",
    )
    refused(
        run("session", "record", "YJ-1001", "--matrix", "who-kept-me-safe",
            "--entries", str(entries)),
        "'Jane Smith'", "a role (like Mum or a teacher) or a first name",
    )  # fmt: skip


def test_known_as_with_a_full_name_is_refused_by_the_same_rule(run) -> None:  # type: ignore[no-untyped-def]
    refused(
        run("young-person", "add", "YJ-5005", "--dob", "2010-01-01", "--team", "north",
            "--known-as", "Jane Smith"),
        "first name or initials only",
    )  # fmt: skip
