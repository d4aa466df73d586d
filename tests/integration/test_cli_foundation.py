"""The command line for set-up, young people, backup, config and audit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from snt_youth import backup
from snt_youth.cli import cli
from snt_youth.sealed import Secret


@pytest.fixture
def run(sqlite_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, db: str | None = sqlite_url, input: str | None = None):  # type: ignore[no-untyped-def]
        base = ["--db", db] if db else []
        return runner.invoke(cli, [*base, *args], input=input, catch_exceptions=False)

    return invoke


def test_init_is_idempotent(run) -> None:  # type: ignore[no-untyped-def]
    first = run("init")
    second = run("init")
    assert first.exit_code == second.exit_code == 0
    from snt_youth.store.engine import HEAD

    assert f"schema {HEAD}" in second.output


def test_add_list_show_young_person(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        "young-person",
        "add",
        "YJ-7",
        "--dob",
        "2010-01-01",
        "--team",
        "west",
        "--known-as",
        "Mo",
        "--ethnicity",
        "asian",
    )
    assert result.exit_code == 0, result.output
    listing = run("young-person", "list")
    assert "YJ-7" in listing.output and "Mo" in listing.output
    data = json.loads(run("young-person", "list", "--json").output)
    assert data[0]["case_ref"] == "YJ-7" and data[0]["team"] == "west"
    shown = json.loads(run("young-person", "show", "YJ-7", "--json").output)
    assert shown["person"]["ethnicity"] == "Asian or Asian British"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dob", "14/05/2009", "--team", "north"], "write it as YYYY-MM-DD"),
        (["--dob", "2099-01-01", "--team", "north"], "in the future"),
        (["--dob", "1990-01-01", "--team", "north"], "aged 8 to 25"),
        (["--dob", "2010-01-01", "--team", "mars"], "Unknown team 'mars'"),
    ],
)
def test_bad_input_exits_2_with_one_line(run, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = run("young-person", "add", "YJ-8", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert "YJ-8" not in run("young-person", "list").output


def test_duplicate_reference_exit_2(run) -> None:  # type: ignore[no-untyped-def]
    args = ("young-person", "add", "YJ-9", "--dob", "2010-01-01", "--team", "north")
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 2 and "already on the caseload" in again.output


def test_export_import_export_round_trip(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("young-person", "add", "YJ-1", "--dob", "2010-01-01", "--team", "north")
    first = tmp_path / "first.json"
    assert run("export", "-o", str(first)).exit_code == 0
    assert oct(first.stat().st_mode & 0o777) == "0o600"
    key = tmp_path / "first.key"  # the backup is locked with the first database's key
    assert run("key", "save", str(key)).exit_code == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert run("import", str(first), "--passphrase-file", str(key), db=other).exit_code == 0
    second = tmp_path / "second.json"
    assert run("export", "--plain", "-o", str(second), db=other).exit_code == 0
    a = backup.read(first, Secret(passphrase=key.read_text()))
    b = json.loads(second.read_text())
    assert a["tables"]["young_people"] == b["tables"]["young_people"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "snt-youth/backup", "format_version": 7, "tables": {}}', "newer snt-youth"),
        ('{"format": "someone-else", "rows": []}', "not an snt-youth backup"),
        ('{"format": "snt-youth/backup", "format_ver', "cut short"),
    ],
)
def test_bad_import_files(run, tmp_path: Path, content: str, message: str) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = run("import", str(bad))
    assert result.exit_code == 2 and message in result.output


def test_config_show_and_bad_config(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shown = run("config", "show")
    assert shown.exit_code == 0 and "Intensive Supervision" in shown.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[service]\nname = "X"\n[[teams]]\nid = "a"\nname = "A"\nkind = "space"\n')
    result = run("--config", str(bad), "config", "show")
    assert result.exit_code == 2
    assert str(bad) in result.output and "kind" in result.output
    broken = tmp_path / "broken.toml"
    broken.write_text("[service\n")
    result = run("--config", str(broken), "config", "show")
    assert result.exit_code == 2 and "not valid TOML" in result.output


def test_audit_lists_changes(run) -> None:  # type: ignore[no-untyped-def]
    run("--user", "m.evans", "young-person", "add", "YJ-3", "--dob", "2010-01-01", "--team", "east")
    events = json.loads(run("audit", "--json").output)
    assert events[-1]["user"] == "m.evans" and events[-1]["record_id"] == "YJ-3"
    assert run("audit", "--since", "yesterday").exit_code == 2


def test_real_process_exit_code_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "SNT_YOUTH_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "snt_youth", "young-person", "show", "NOPE"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "Traceback" not in result.stderr
