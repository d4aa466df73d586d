"""Attack tests: SIGKILL during init, an upgrade, an import, a demo, encrypt and rekey.

Each run starts the real command in its own process and kills it with SIGKILL after a
random moment within the time the command takes. The database left behind must be
one the next ``init`` opens, holding either the old data or the new, never a mix.

The suite keeps the runs small (SNT_YOUTH_KILLS, default 6 each, a service of 1,500
young people for the upgrade). A bigger manual run:

    SNT_YOUTH_KILLS=25 SNT_YOUTH_KILL_SERVICE=75000 \
        .venv/bin/pytest -s tests/integration/test_integrity_kills.py
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from tests.support import sqlite as raw_sqlite

import snt_youth
from snt_youth import backup
from snt_youth.sealed import Secret
from snt_youth.store import Store
from snt_youth.store.engine import HEAD, MIGRATIONS_DIR, PRE_UPGRADE_SUFFIX, file_state

KILLS = int(os.environ.get("SNT_YOUTH_KILLS", "6"))
SERVICE = int(os.environ.get("SNT_YOUTH_KILL_SERVICE", "1500"))  # young people; 2 screenings each
IMPORTED = int(os.environ.get("SNT_YOUTH_KILL_IMPORT", "40"))  # young people in the backup
ENCRYPTED = int(os.environ.get("SNT_YOUTH_KILL_ENCRYPT", "300"))  # young people encrypted

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
_STARTUP = 0.0  # measured once, in the first test that needs it


def _command(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "snt_youth", "--db", url, *args]


def _timed(command: list[str]) -> float:
    """How long the command takes when it is left alone (it must succeed)."""
    global _STARTUP
    _STARTUP = _STARTUP or _startup()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - start


def _startup() -> float:
    """How long Python takes to load the CLI, before any command touches a database."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snt_youth", "--help"], capture_output=True, check=True)
    return time.perf_counter() - start


def _kill_during(command: list[str], within: float, rng: random.Random) -> bool:
    """Start the command and SIGKILL it at a random moment while it works on the
    database (after the CLI has loaded); True if it was killed before it finished."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(min(_STARTUP, within) * 0.9, within))
    proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=60) == -signal.SIGKILL


def _revision(path: Path) -> str | None:
    with raw_sqlite.connect(path) as conn:
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"
        ).fetchone():
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def _counts(path: Path) -> tuple[int, int]:
    with raw_sqlite.connect(path) as conn:
        people = conn.execute("SELECT count(*) FROM young_people").fetchone()[0]
        screenings = conn.execute("SELECT count(*) FROM screenings").fetchone()[0]
    return int(people), int(screenings)


def _init_opens(url: str) -> None:
    """What every kill must leave: a database the next ``init`` opens at the newest schema."""
    done = subprocess.run(_command(url, "init"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"(schema {HEAD})" in done.stdout


def test_kill_during_init_on_a_fresh_file(tmp_path: Path) -> None:
    rng = random.Random(11)
    within = _timed(_command(f"sqlite:///{tmp_path / 'timing.sqlite3'}", "init"))
    killed = 0
    found: dict[str, int] = {}
    for attempt in range(KILLS):
        path = tmp_path / f"fresh-{attempt}.sqlite3"
        url = f"sqlite:///{path}"
        killed += _kill_during(_command(url, "init"), within, rng)
        left = _revision(path) if path.exists() else "no file"
        assert left in (None, HEAD, "no file")
        found[str(left)] = found.get(str(left), 0) + 1
        _init_opens(url)
    print(f"init ({within:.1f} s): {killed} of {KILLS} killed, left at {found}; all opened")
    assert killed >= 1


def _service_at_0001(path: Path, people: int) -> None:
    """A SQLite file at schema 0001 with ``people`` young people, two screenings each
    with answers, an offer and a note each: a service's worth of rows to upgrade."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO young_people (id, case_ref, date_of_birth, gender, ethnicity, team, "
            "language, created_at) VALUES (?, ?, '2010-05-01', 'male', 'White', 'north', 'en', "
            "'2026-01-01 09:00:00.000000')",
            ((i, f"YJ-{i}") for i in range(1, people + 1)),
        )
        conn.executemany(
            "INSERT INTO screenings (id, young_person_id, stage, screened_on, officer, "
            "instrument_id, instrument_version, status, home, relationship, own_behaviour, "
            "safety, need_identified, judgements) VALUES (?, ?, ?, '2026-02-01', 'o', 'i', '1', "
            "'complete', 'past', 'healthy', 'none described', 'none', 1, '[]')",
            (
                (2 * i - k, i, stage)
                for i in range(1, people + 1)
                for k, stage in ((1, "pre-court"), (0, "post-court"))
            ),
        )
        conn.executemany(
            "INSERT INTO screening_answers (screening_id, item_id, response, answered_at) "
            "VALUES (?, ?, 'no', '2026-02-01 09:00:00.000000')",
            ((s, f"q{q}") for s in range(1, 2 * people + 1) for q in range(6)),
        )
        conn.executemany(
            "INSERT INTO support_offers (id, young_person_id, screening_id, stage, offered_on, "
            "kind, service, response, contacts) VALUES (?, ?, ?, 'pre-court', '2026-02-03', "
            "'external', 's', 'accepted', 2)",
            ((i, i, 2 * i - 1) for i in range(1, people + 1)),
        )
        conn.executemany(
            "INSERT INTO case_notes (id, young_person_id, written_on, author, text) "
            "VALUES (?, ?, '2026-02-04', 'o', 'Met at school.')",
            ((i, i) for i in range(1, people + 1)),
        )


def test_kill_during_an_upgrade_from_the_first_revision(tmp_path: Path) -> None:
    rng = random.Random(12)
    template = tmp_path / "template.sqlite3"
    _service_at_0001(template, SERVICE)
    expected = (SERVICE, 2 * SERVICE)
    timing = tmp_path / "timing.sqlite3"
    shutil.copy(template, timing)
    within = _timed(_command(f"sqlite:///{timing}", "init"))
    killed = 0
    found: dict[str, int] = {}
    for attempt in range(KILLS):
        path = tmp_path / f"upgrade-{attempt}.sqlite3"
        shutil.copy(template, path)
        url = f"sqlite:///{path}"
        killed += _kill_during(_command(url, "init"), within, rng)
        left = _revision(path)
        assert left in ("0001", HEAD)  # old or new, never between
        assert _counts(path) == expected
        found[str(left)] = found.get(str(left), 0) + 1
        _init_opens(url)  # finishes the job
        assert _revision(path) == HEAD
        assert _counts(path) == expected
        assert not (path.parent / (path.name + PRE_UPGRADE_SUFFIX)).exists()
    print(
        f"upgrade of {SERVICE} young people ({within:.1f} s): {killed} of {KILLS} killed, "
        f"left at {found}; all opened"
    )
    assert killed >= 1


def test_an_upgrade_keeps_a_private_copy_until_it_commits(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _service_at_0001(path, 3)
    copy = path.parent / (path.name + PRE_UPGRADE_SUFFIX)
    seen: list[tuple[bool, int]] = []
    from snt_youth.store import engine as engine_module

    real_upgrade = engine_module.upgrade

    def watching(engine: object) -> None:
        seen.append((copy.exists(), copy.stat().st_mode & 0o777))
        with sqlite3.connect(copy) as conn:  # a consistent copy of the old database
            assert conn.execute("SELECT count(*) FROM young_people").fetchone()[0] == 3
        real_upgrade(engine)  # type: ignore[arg-type]

    engine_module.upgrade = watching  # type: ignore[assignment]
    try:
        Store(f"sqlite:///{path}").close()
    finally:
        engine_module.upgrade = real_upgrade
    assert seen == [(True, 0o600)]
    assert not copy.exists()


def _backup_file(tmp_path: Path, people: int) -> tuple[Path, Path]:
    """An encrypted backup of a demo caseload, and a copy of the key that locks it."""
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    with snt_youth.open(source) as book:
        from snt_youth import demo

        demo.populate(book, n=people, seed=3)
        path = tmp_path / "backup.json"
        book.save_backup(path)
        key = Path(book.save_key(str(tmp_path / "source.key")))
    return path, key


def test_kill_during_import(tmp_path: Path) -> None:
    rng = random.Random(13)
    file, key = _backup_file(tmp_path, IMPORTED)
    found: dict[int, int] = {}
    secret = Secret(passphrase=key.read_text())
    people = len(backup.read(file, secret)["tables"]["young_people"])
    restore = ("import", str(file), "--passphrase-file", str(key))
    within = _timed(_command(f"sqlite:///{tmp_path / 'timing.sqlite3'}", *restore))
    for attempt in range(KILLS):
        path = tmp_path / f"import-{attempt}.sqlite3"
        url = f"sqlite:///{path}"
        _kill_during(_command(url, *restore), within, rng)
        _init_opens(url)
        assert _counts(path)[0] in (0, people)  # nothing, or all of it
        found[_counts(path)[0]] = found.get(_counts(path)[0], 0) + 1
    print(f"import of {people} young people ({within:.1f} s): people left {found}")


def test_kill_during_demo(tmp_path: Path) -> None:
    rng = random.Random(14)
    found: dict[int, int] = {}
    within = _timed(
        _command(f"sqlite:///{tmp_path / 'timing.sqlite3'}", "demo", "--young-people", "30")
    )
    for attempt in range(KILLS):
        path = tmp_path / f"demo-{attempt}.sqlite3"
        url = f"sqlite:///{path}"
        _init_opens(url)  # an empty database, as a person would have
        _kill_during(_command(url, "demo", "--young-people", "30"), within, rng)
        _init_opens(url)
        assert _counts(path)[0] in (0, 30)  # as it was, or the whole demo
        found[_counts(path)[0]] = found.get(_counts(path)[0], 0) + 1
        if _counts(path)[0] == 0:  # and a demo can then be run to the end
            done = subprocess.run(
                _command(url, "demo", "--young-people", "30"), capture_output=True, timeout=300
            )
            assert done.returncode == 0
            assert _counts(path)[0] == 30
    print(f"demo of 30 young people ({within:.1f} s): people left {found}")


def _plain_service(path: Path, people: int) -> None:
    url = f"sqlite:///{path}"
    made = subprocess.run(_command(url, "init", "--plain"), capture_output=True, timeout=300)
    assert made.returncode == 0
    with snt_youth.open(url) as book:
        from snt_youth import demo

        demo.populate(book, n=people, seed=5)


def test_kill_during_encrypt_leaves_the_old_plain_file_or_the_new_encrypted_one(
    tmp_path: Path,
) -> None:
    """SIGKILL anywhere in ``encrypt``: the file left opens, plain or with the kept key,
    with every row; and ``encrypt`` can then be run (again) to the end."""
    rng = random.Random(15)
    master = tmp_path / "master.sqlite3"
    _plain_service(master, ENCRYPTED)
    expected = _counts(master)
    timing = tmp_path / "timing.sqlite3"
    shutil.copy(master, timing)
    within = _timed(_command(f"sqlite:///{timing}", "encrypt"))
    assert file_state(timing) == "encrypted"
    found: dict[str, int] = {}
    for attempt in range(KILLS):
        path = tmp_path / f"encrypt-{attempt}.sqlite3"
        shutil.copy(master, path)
        url = f"sqlite:///{path}"
        _kill_during(_command(url, "encrypt"), within, rng)
        state = file_state(path)
        assert state in ("plain", "encrypted")
        found[state] = found.get(state, 0) + 1
        assert _counts(path) == expected  # opens, plain or keyed, with every row
        _init_opens(url)
        if state == "plain":
            done = subprocess.run(_command(url, "encrypt"), capture_output=True, timeout=300)
            assert done.returncode == 0, done.stderr
            assert file_state(path) == "encrypted" and _counts(path) == expected
    print(f"encrypt of {ENCRYPTED} young people ({within:.1f} s): left {found}; all opened")


def test_kill_during_rekey_never_loses_the_key(tmp_path: Path) -> None:
    rng = random.Random(16)
    master = tmp_path / "master.sqlite3"
    _plain_service(master, ENCRYPTED)
    expected = _counts(master)
    within = 0.0
    for attempt in range(KILLS + 1):
        path = tmp_path / f"rekey-{attempt}.sqlite3"
        shutil.copy(master, path)
        url = f"sqlite:///{path}"
        assert subprocess.run(_command(url, "encrypt"), capture_output=True).returncode == 0
        if attempt == 0:
            within = _timed(_command(url, "rekey"))
            continue
        _kill_during(_command(url, "rekey"), within, rng)
        _init_opens(url)  # finds the kept key, or the pending one, and opens
        assert _counts(path) == expected
    print(f"rekey of {ENCRYPTED} young people ({within:.1f} s): every file opened")
