"""Each content kind, when bad, stops the CLI with one ``Error:`` line and exit 2.

The files are the fixtures of ``tests/data/bad/``; each test drives the command a
service would run when it uses that kind of file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.support.paths import DATA

from snt_youth import locations
from snt_youth.cli import cli
from snt_youth.printing import helplines

BAD = DATA / "bad"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def expect_one_error(result: Result, fixture: Path, shown: Path | None = None) -> None:
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8").strip()
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {shown or fixture}")
    assert expected in lines[0]
    assert "Traceback" not in result.output


def test_bad_instrument(tmp_path: Path) -> None:
    fixture = BAD / "instrument" / "string-for-list.toml"
    expect_one_error(run("screening", "instrument", "--file", str(fixture)), fixture)


def test_bad_instrument_named_by_the_service_config(tmp_path: Path) -> None:
    fixture = BAD / "instrument" / "bad-choice.toml"
    config = (BAD / "service-config" / "valid.toml").read_text(encoding="utf-8")
    config = config.replace('name = "Test service"', f'name = "Test"\ninstrument = "{fixture}"')
    (tmp_path / "service.toml").write_text(config, encoding="utf-8")
    result = run("--config", str(tmp_path / "service.toml"), "screening", "instrument")
    expect_one_error(result, fixture)


def test_bad_matrix() -> None:
    fixture = BAD / "matrix" / "bad-choice.toml"
    expect_one_error(run("matrix", "check", str(fixture)), fixture)


def test_bad_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # There is no option for a service's own worksheets folder yet, so point the
    # product's one place for paths at a copy.
    fixture = BAD / "manifest" / "bad-choice.toml"
    folder = tmp_path / "worksheets"
    folder.mkdir()
    shutil.copy(fixture, folder / "manifest.toml")
    monkeypatch.setattr(locations, "worksheets_dir", lambda: folder)
    expect_one_error(run("worksheet", "list"), fixture, shown=folder / "manifest.toml")


def test_bad_language_rules() -> None:
    fixture = BAD / "language-rules" / "bad-identifier.toml"
    result = run("lint-notes", "--rules", str(fixture), input="He hit her.")
    expect_one_error(result, fixture)


def test_bad_helplines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fixture = BAD / "helplines" / "number-for-name.toml"
    monkeypatch.setattr(helplines, "helplines_path", lambda: fixture)
    result = run(
        "worksheet", "render", "safety-plan", "--format", "html", "-o", str(tmp_path / "x")
    )
    expect_one_error(result, fixture)
    assert not (tmp_path / "x").exists()


def test_bad_service_config(monkeypatch: pytest.MonkeyPatch) -> None:
    fixture = BAD / "service-config" / "string-for-list.toml"
    expect_one_error(run("--config", str(fixture), "config", "show"), fixture)
    monkeypatch.setenv(locations.CONFIG_ENV, str(BAD / "service-config" / "number-for-name.toml"))
    expect_one_error(run("config", "show"), BAD / "service-config" / "number-for-name.toml")


def test_bad_session_entries(tmp_path: Path) -> None:
    fixture = BAD / "session-entries" / "number-for-name.json"
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    args = ["--db", db, "session", "record", "YJ-1", "--matrix", "who-kept-me-safe"]
    expect_one_error(run(*args, "--entries", str(fixture)), fixture)


def test_bad_backup(tmp_path: Path) -> None:
    fixture = BAD / "backup" / "newer-version.json"
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    expect_one_error(run("--db", db, "import", str(fixture)), fixture)
