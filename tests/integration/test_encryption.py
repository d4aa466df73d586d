"""Encryption at rest: a new SQLite database is encrypted with no typing, and stays so.

These tests read raw bytes: after ``init`` and ``demo`` with no flags, neither the
database (nor its -wal and -shm files) nor a backup holds a case reference or a date
of birth in plain bytes.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from keyring.backend import KeyringBackend
from tests.support import sqlite as raw_sqlite

from snt_youth import keys
from snt_youth.casebook import Casebook
from snt_youth.store.engine import file_state


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    from snt_youth.cli import cli

    return CliRunner().invoke(cli, list(args), env=env)


def _one_line_error(result: Result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    error = [line for line in lines if line.startswith("Error: ")]
    assert len(error) == 1, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in error[0], error[0]
    return error[0]


def _identifiers(path: Path) -> list[bytes]:
    """Every case reference and date of birth in the database, as bytes to look for."""
    with Casebook.open(f"sqlite:///{path}", create=False) as book:
        people = book.young_people()
    assert people
    found: set[bytes] = set()
    for person in people:
        found.add(person.case_ref.encode())
        found.add(person.date_of_birth.isoformat().encode())
    return sorted(found)


def _files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def _plain_hits(files: list[Path], needles: list[bytes]) -> list[str]:
    hits = []
    for file in files:
        data = file.read_bytes()
        hits += [f"{file.name}: {n.decode()}" for n in needles if n in data]
    return hits


def test_init_then_demo_leave_no_identifier_in_plain_bytes(tmp_path: Path) -> None:
    """The done-when test of issue 15, on the default database with no flags at all."""
    home = Path(os.environ["SNT_YOUTH_HOME"])
    first = _run("init")
    assert first.exit_code == 0, first.output
    assert "its key is in the key file" in first.output  # the notice, once
    assert "Encryption at rest: on" in first.output
    demo = _run("demo", "--young-people", "40")
    assert demo.exit_code == 0, demo.output
    assert "its key is in" not in demo.output  # the key was made once, by init
    backup = tmp_path / "backup"
    exported = _run("export", "-o", str(backup))
    assert exported.exit_code == 0, exported.output
    database = home / "snt-youth.sqlite3"
    needles = _identifiers(database)
    assert len(needles) >= 40
    # While a connection is open the -wal and -shm files exist too: read them then.
    with Casebook.open(None, create=False) as book:
        book.add_note(book.young_people()[0].case_ref, "Seen at home today.")
        files = _files(database)
        assert len(files) >= 2
        assert _plain_hits(files, needles) == []
    assert _plain_hits(_files(database), needles) == []
    assert _plain_hits([backup], needles) == []
    assert file_state(database) == "encrypted"
    # The same bytes with the plain driver: not a database at all.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(database).execute("SELECT count(*) FROM sqlite_master").fetchone()
    # The key file is private, in a private folder, and named after the database path.
    key_file = keys.default_key_file(database)
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700


def test_a_plain_check_of_the_same_steps_finds_the_identifiers(tmp_path: Path) -> None:
    """The byte search above can fail: on a plain database it finds every reference."""
    url = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    assert _run("--db", url, "init", "--plain").exit_code == 0
    assert _run("--db", url, "demo", "--young-people", "10").exit_code == 0
    backup = tmp_path / "plain.json"
    assert _run("--db", url, "export", "--plain", "-o", str(backup)).exit_code == 0
    needles = _identifiers(tmp_path / "plain.sqlite3")
    hits = _plain_hits(_files(tmp_path / "plain.sqlite3"), needles)
    assert len(hits) >= len(needles) // 2
    assert len(_plain_hits([backup], needles)) == len(needles)


def test_init_plain_is_audited_and_shown(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    made = _run("--db", url, "init", "--plain")
    assert made.exit_code == 0, made.output
    assert "Encryption at rest: off, chosen with 'init --plain' by test.officer" in made.output
    assert file_state(tmp_path / "plain.sqlite3") == "plain"
    again = _run("--db", url, "init", "--plain")
    assert again.exit_code == 0
    with Casebook.open(url, create=False) as book:
        choices = [e for e in book.audit_trail() if e.action == "plain-choice"]
    assert len(choices) == 1  # recorded once, not on every init
    shown = _run("--db", url, "config", "show")
    assert "Encryption at rest: off, chosen with 'init --plain'" in shown.output
    assert _run("--db", f"sqlite:///{tmp_path / 'e.sqlite3'}", "init").exit_code == 0
    encrypted = _run("--db", f"sqlite:///{tmp_path / 'e.sqlite3'}", "config", "show")
    assert "Encryption at rest: on (key in the key file" in encrypted.output


def test_encrypt_converts_a_plain_database_and_every_record_survives(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    assert _run("--db", url, "init", "--plain").exit_code == 0
    assert _run("--db", url, "demo", "--young-people", "25").exit_code == 0
    with Casebook.open(url, create=False) as book:
        before = book.export_backup()["tables"]
        counts = book.counts()
    done = _run("--db", url, "encrypt")
    assert done.exit_code == 0, done.output
    assert f"{counts['young_people']} young people" in done.output
    assert file_state(path) == "encrypted"
    assert not list(tmp_path.glob(".*.rewrite"))
    with Casebook.open(url, create=False) as book:
        after = book.export_backup()["tables"]
        actions = [e.action for e in book.audit_trail()]
        assert book.encryption.state == "encrypted"
    for table, rows in before.items():
        if table == "audit_events":
            assert rows == after[table][: len(rows)]
        else:
            assert rows == after[table], table
    assert "encrypt" in actions
    assert _plain_hits(_files(path), _identifiers(path)) == []
    # Encrypting twice is refused, with one sentence.
    _one_line_error(_run("--db", url, "encrypt"), "already encrypted", "rekey")


def test_encrypt_with_a_given_key_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    key_file = tmp_path / "service.key"
    key_file.write_text("ab" * 32 + "\n")
    assert _run("--db", url, "init", "--plain").exit_code == 0
    assert _run("--db", url, "--key-file", str(key_file), "encrypt").exit_code == 0
    assert not keys.default_key_file(path).exists()  # the given key is not copied anywhere
    assert _run("--db", url, "--key-file", str(key_file), "young-person", "list").exit_code == 0
    _one_line_error(_run("--db", url, "young-person", "list"), "no key for it was found")


def test_a_wrong_key_is_one_sentence_that_says_where_it_came_from(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert _run("--db", url, "init").exit_code == 0
    error = _one_line_error(
        _run("--db", url, "young-person", "list", env={"SNT_YOUTH_KEY": "cd" * 32}),
        "The key from SNT_YOUTH_KEY does not open the database",
    )
    assert "cd" * 32 not in error  # never the key itself
    other = tmp_path / "other.key"
    other.write_text("ef" * 32)
    _one_line_error(
        _run("--db", url, "--key-file", str(other), "young-person", "list"),
        f"The key from the key file {other} does not open",
    )
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("my notes")
    _one_line_error(
        _run("--db", url, "--key-file", str(not_a_key), "young-person", "list"),
        "is not a snt-youth key",
    )


def test_a_missing_key_names_every_place_looked(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    url = f"sqlite:///{path}"
    assert _run("--db", url, "init").exit_code == 0
    kept = keys.default_key_file(path)
    kept.rename(tmp_path / "moved.key")
    error = _one_line_error(
        _run("--db", url, "young-person", "list"),
        "SNT_YOUTH_KEY",
        str(kept),
        "the keyring (service 'snt-youth', entry",
        str(path.resolve()),
    )
    assert error.count(".") >= 1
    assert (
        _run(
            "--db", url, "--key-file", str(tmp_path / "moved.key"), "young-person", "list"
        ).exit_code
        == 0
    )


def test_plain_where_encrypted_is_expected_and_the_reverse(tmp_path: Path) -> None:
    plain = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    encrypted = f"sqlite:///{tmp_path / 'encrypted.sqlite3'}"
    assert _run("--db", plain, "init", "--plain").exit_code == 0
    assert _run("--db", encrypted, "init").exit_code == 0
    _one_line_error(
        _run("--db", plain, "young-person", "list", env={"SNT_YOUTH_KEY": "12" * 32}),
        "is a plain, unencrypted file, but a key was given in SNT_YOUTH_KEY",
        "snt-youth encrypt",
    )
    _one_line_error(_run("--db", encrypted, "init", "--plain"), "already encrypted", "--plain")
    _one_line_error(_run("--db", plain, "rekey"), "is not encrypted", "snt-youth encrypt")
    _one_line_error(
        _run("--db", "sqlite:///" + str(tmp_path / "none.sqlite3"), "encrypt"), "no database"
    )


def test_rekey_changes_the_key_and_keeps_every_record(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    url = f"sqlite:///{path}"
    assert _run("--db", url, "demo", "--young-people", "8").exit_code == 0
    old = keys.default_key_file(path).read_text()
    copy = tmp_path / "old.key"
    copy.write_text(old)
    with Casebook.open(url, create=False) as book:
        before = book.counts()
    done = _run("--db", url, "rekey")
    assert done.exit_code == 0, done.output
    new = keys.default_key_file(path).read_text()
    assert new != old and len(new.strip()) == 64
    assert (
        not keys.default_key_file(path)
        .with_name(keys.default_key_file(path).name + ".pending")
        .exists()
    )
    with Casebook.open(url, create=False) as book:
        assert book.counts()["young_people"] == before["young_people"]
        assert "rekey" in [e.action for e in book.audit_trail()]
    _one_line_error(
        _run("--db", url, "--key-file", str(copy), "young-person", "list"), "does not open"
    )


def test_rekey_from_the_environment_needs_a_new_key_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {"SNT_YOUTH_KEY": "34" * 32}
    assert _run("--db", url, "init", env=env).exit_code == 0
    _one_line_error(_run("--db", url, "rekey", env=env), "SNT_YOUTH_KEY", "--new-key-file")
    target = tmp_path / "new.key"
    assert _run("--db", url, "rekey", "--new-key-file", str(target), env=env).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert _run("--db", url, "--key-file", str(target), "young-person", "list").exit_code == 0


def test_a_rekey_stopped_after_the_rename_is_finished_by_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snt_youth.store import engine

    path = tmp_path / "db.sqlite3"
    url = f"sqlite:///{path}"
    assert _run("--db", url, "demo", "--young-people", "3").exit_code == 0
    old = keys.default_key_file(path).read_text()

    def stopped(*_: Any) -> Any:
        raise KeyboardInterrupt  # as if the process stopped between rename and promote

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(keys, "promote", stopped)
        engine.rekey_database(url, engine.KeyChoice())
    # The file has the new key now; the kept key is still the old one, the new one pending.
    assert keys.default_key_file(path).read_text() == old
    with Casebook.open(url, create=False) as book:
        assert book.counts()["young_people"] == 3
    assert keys.default_key_file(path).read_text() != old
    assert (
        not keys.default_key_file(path)
        .with_name(keys.default_key_file(path).name + ".pending")
        .exists()
    )


class _MemoryKeyring(KeyringBackend):
    """A real keyring for the test: keeps what it is given, in memory."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.entries.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.entries[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        self.entries.pop((service, user), None)


def test_the_key_goes_to_a_real_keyring_when_there_is_one(tmp_path: Path) -> None:
    import keyring

    ring = _MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(ring)
    try:
        _with_a_real_keyring(tmp_path, ring)
    finally:
        keyring.set_keyring(before)


def _with_a_real_keyring(tmp_path: Path, ring: _MemoryKeyring) -> None:
    path = tmp_path / "db.sqlite3"
    url = f"sqlite:///{path}"
    made = _run("--db", url, "init")
    assert made.exit_code == 0, made.output
    assert "its key is in the keyring (service 'snt-youth'" in made.output
    assert not keys.default_key_file(path).exists()
    entry = ("snt-youth", str(path.resolve()))
    assert len(ring.entries[entry]) == 64
    assert _run("--db", url, "demo", "--young-people", "2").exit_code == 0
    old = ring.entries[entry]
    assert _run("--db", url, "rekey").exit_code == 0
    assert ring.entries[entry] != old and len(ring.entries) == 1
    assert _run("--db", url, "young-person", "list").exit_code == 0
    saved = tmp_path / "copy.key"
    assert _run("--db", url, "key", "save", str(saved)).exit_code == 0
    assert saved.read_text().strip() == ring.entries[entry]
    ring.entries.clear()
    _one_line_error(_run("--db", url, "young-person", "list"), "the keyring (service 'snt-youth'")
    assert _run("--db", url, "--key-file", str(saved), "young-person", "list").exit_code == 0


def test_the_fail_and_null_keyrings_count_as_none() -> None:
    import keyring
    from keyring.backends import fail, null

    before = keyring.get_keyring()
    try:
        for backend in (fail.Keyring(), null.Keyring()):
            keyring.set_keyring(backend)
            assert keys._keyring() is None
        keyring.set_keyring(_MemoryKeyring())
        assert keys._keyring() is not None
    finally:
        keyring.set_keyring(before)


_FIRST_RUN = """
import sys
from snt_youth.casebook import Casebook
with Casebook.open(sys.argv[1]) as book:
    book.add_young_person(sys.argv[2], __import__("datetime").date(2010, 1, 2), "north")
"""


def test_two_first_runs_at_once_agree_on_one_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _FIRST_RUN, url, f"YJ-{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with Casebook.open(url, create=False) as book:
        assert sorted(p.case_ref for p in book.young_people()) == [f"YJ-{n}" for n in range(4)]
    assert len(list(keys.default_key_file(tmp_path / "db.sqlite3").parent.glob("*.key"))) >= 1


def test_key_where_never_prints_the_key(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    url = f"sqlite:///{path}"
    assert _run("--db", url, "init").exit_code == 0
    shown = _run("--db", url, "key", "where")
    assert shown.exit_code == 0
    assert keys.default_key_file(path).read_text().strip() not in shown.output
    assert str(keys.default_key_file(path)) in shown.output
    with raw_sqlite.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM young_people").fetchone()[0] == 0


def test_an_upgrade_of_an_encrypted_file_keeps_an_encrypted_copy(tmp_path: Path) -> None:
    """The copy kept during an upgrade is encrypted with the same key, and opens."""
    from alembic import command
    from alembic.config import Config

    from snt_youth.store import Store
    from snt_youth.store import engine as engine_module

    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    old = engine_module.create_engine(url)  # a plain file at the first schema, as it was
    config = Config()
    config.set_main_option("script_location", str(engine_module.MIGRATIONS_DIR))
    with old.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql(
            "INSERT INTO young_people (id, case_ref, date_of_birth, gender, ethnicity, team, "
            "language, created_at) VALUES (1, 'YJ-OLD', '2010-05-01', 'male', 'White', 'north', "
            "'en', '2026-01-01 09:00:00')"
        )
    old.dispose()
    engine_module.encrypt_database(url, engine_module.KeyChoice())
    copy = path.with_name(path.name + engine_module.PRE_UPGRADE_SUFFIX)
    seen: list[int] = []
    real_upgrade = engine_module.upgrade

    def watching(engine: Any) -> None:
        assert file_state(copy) == "encrypted"
        assert b"YJ-OLD" not in copy.read_bytes()
        with raw_sqlite.connect(copy, key_file=str(keys.default_key_file(path))) as conn:
            seen.append(conn.execute("SELECT count(*) FROM young_people").fetchone()[0])
        real_upgrade(engine)

    engine_module.upgrade = watching  # type: ignore[assignment]
    try:
        Store(url).close()
    finally:
        engine_module.upgrade = real_upgrade
    assert seen == [1]
    assert not copy.exists()
    with Casebook.open(url, create=False) as book:
        assert [p.case_ref for p in book.young_people()] == ["YJ-OLD"]


def test_a_server_database_is_not_encrypted_by_snt_youth() -> None:
    url = "postgresql+psycopg://someone@127.0.0.1:1/records"
    for command in ("encrypt", "rekey"):
        _one_line_error(
            _run("--db", url, command), "only an embedded SQLite file", "disk encryption and TLS"
        )
