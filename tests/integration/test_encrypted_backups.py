"""Backups are encrypted by default; a wrong passphrase, a damaged file and a file cut
short are each one sentence, exit 2, with nothing written to the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from snt_youth import sealed
from snt_youth.casebook import Casebook


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    from snt_youth.cli import cli

    return CliRunner().invoke(cli, list(args), env=env)


def _refused(result: Result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


@pytest.fixture
def source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    assert _run("--db", url, "demo", "--young-people", "6").exit_code == 0
    return url


def _empty(tmp_path: Path, name: str = "target") -> str:
    return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"


def _people(url: str) -> int:
    with Casebook.open(url) as book:
        return book.counts()["young_people"]


def test_export_is_encrypted_with_the_database_key_and_audited(source: str, tmp_path: Path) -> None:
    backup = tmp_path / "b.backup"
    done = _run("--db", source, "export", "-o", str(backup))
    assert done.exit_code == 0, done.output
    data = backup.read_bytes()
    assert sealed.is_sealed(data) and b"YJ-" not in data
    assert backup.stat().st_mode & 0o777 == 0o600
    with Casebook.open(source) as book:
        exports = [e for e in book.audit_trail() if e.action == "export"]
    assert "encrypted with the database key (key id " in exports[-1].detail
    # The same database opens it again (here: the source itself refuses a second copy).
    _refused(_run("--db", source, "import", str(backup)), "already has young people")


def test_key_locked_backup_restores_elsewhere_with_the_saved_key(
    source: str, tmp_path: Path
) -> None:
    backup = tmp_path / "b.backup"
    assert _run("--db", source, "export", "-o", str(backup)).exit_code == 0
    target = _empty(tmp_path)
    line = _refused(_run("--db", target, "import", str(backup)), "key id", "--passphrase-file")
    assert _people(target) == 0, line
    key_copy = tmp_path / "source.key"
    assert _run("--db", source, "key", "save", str(key_copy)).exit_code == 0
    done = _run("--db", target, "import", str(backup), "--passphrase-file", str(key_copy))
    assert done.exit_code == 0, done.output
    assert _people(target) == 6


def test_passphrase_backup_for_the_information_governance_officer(
    source: str, tmp_path: Path
) -> None:
    phrase = tmp_path / "phrase.txt"
    phrase.write_text("a long shared passphrase for the IG team\n")
    backup = tmp_path / "b.backup"
    assert (
        _run(
            "--db", source, "export", "-o", str(backup), "--passphrase-file", str(phrase)
        ).exit_code
        == 0
    )
    with Casebook.open(source) as book:
        assert "encrypted with a passphrase" in book.audit_trail()[-1].detail
    target = _empty(tmp_path)
    _refused(_run("--db", target, "import", str(backup)), "locked with a passphrase")
    wrong = {"SNT_YOUTH_BACKUP_PASSPHRASE": "not the passphrase"}
    _refused(_run("--db", target, "import", str(backup), env=wrong), "The passphrase does not open")
    assert _people(target) == 0
    right = {"SNT_YOUTH_BACKUP_PASSPHRASE": "a long shared passphrase for the IG team"}
    assert _run("--db", target, "import", str(backup), env=right).exit_code == 0
    assert _people(target) == 6


def test_damaged_and_cut_short_backups_write_nothing(source: str, tmp_path: Path) -> None:
    backup = tmp_path / "b.backup"
    assert _run("--db", source, "export", "-o", str(backup)).exit_code == 0
    key_copy = tmp_path / "source.key"
    assert _run("--db", source, "key", "save", str(key_copy)).exit_code == 0
    data = backup.read_bytes()
    damaged = tmp_path / "damaged.backup"
    middle = len(data) // 2
    damaged.write_bytes(data[:middle] + bytes([data[middle] ^ 0x40]) + data[middle + 1 :])
    short = tmp_path / "short.backup"
    short.write_bytes(data[: len(data) - 100])
    for file, words in ((damaged, "damaged encrypted backup"), (short, "is cut short")):
        target = _empty(tmp_path, file.stem)
        _refused(
            _run("--db", target, "import", str(file), "--passphrase-file", str(key_copy)),
            words,
            "Nothing was imported",
        )
        assert _people(target) == 0


def test_plain_export_is_a_choice_and_audited(source: str, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    assert _run("--db", source, "export", "--plain", "-o", str(backup)).exit_code == 0
    assert json.loads(backup.read_text())["format"] == "snt-youth/backup"
    with Casebook.open(source) as book:
        assert "plain JSON, not encrypted (--plain)" in book.audit_trail()[-1].detail
    target = _empty(tmp_path)
    assert _run("--db", target, "import", str(backup)).exit_code == 0
    assert _people(target) == 6
    _refused(
        _run("--db", source, "export", "--plain", "--passphrase-file", str(backup)),
        "takes no passphrase",
    )


def test_a_plain_database_needs_a_passphrase_or_plain(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    assert _run("--db", url, "init", "--plain").exit_code == 0
    _refused(_run("--db", url, "export", "-o", str(tmp_path / "b")), "--passphrase-file", "--plain")
    assert not (tmp_path / "b").exists()
    env = {"SNT_YOUTH_BACKUP_PASSPHRASE": "plain laptops still lock their backups"}
    assert _run("--db", url, "export", "-o", str(tmp_path / "b"), env=env).exit_code == 0
    assert sealed.is_sealed((tmp_path / "b").read_bytes())
