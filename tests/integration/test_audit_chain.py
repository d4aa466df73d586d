"""The audit hash chain on a real SQLite file (changed with SQLCipher's driver) and a
real PostgreSQL server (changed as a superuser): `audit verify` finds every change."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from click.testing import CliRunner
from tests.support import sqlite as raw_sqlite

import snt_youth
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.cli import cli
from snt_youth.errors import InvalidInput
from snt_youth.store.engine import HEAD

TODAY = dt.date.today()


def _superuser_sql(url: str) -> Callable[[str], None]:
    """Run SQL behind the product's back: on SQLite as an insider who holds the file and
    its key (SQLCipher's own driver, no snt-youth code), on PostgreSQL as superuser."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")

        def shell(sql: str) -> None:
            connection = raw_sqlite.connect(path)
            try:
                connection.executescript(sql)
                connection.commit()
            finally:
                connection.close()

        return shell
    import psycopg

    parsed = urlparse(url.replace("postgresql+psycopg://", "postgresql://"))
    options = unquote(parse_qs(parsed.query)["options"][0])
    plain = parsed._replace(query="").geturl()

    def superuser(sql: str) -> None:
        with psycopg.connect(plain, options=options, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    return superuser


def _events(url: str, n: int = 4) -> None:
    with snt_youth.open(url, user="r.ahmed", clock=FixedClock(TODAY)) as book:
        for i in range(1, n + 1):
            book.add_young_person(f"YJ-{i}", dt.date(2010, 3, 1), "north")


def _verify(url: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", url, "audit", "verify", *extra])
    return result.exit_code, result.output


def test_untouched_chain_is_whole(db_url: str) -> None:
    _events(db_url)
    code, out = _verify(db_url)
    assert code == 0, out
    assert "the audit chain is whole: 4 events" in out


def test_a_changed_row_is_named(db_url: str) -> None:
    _events(db_url)
    _superuser_sql(db_url)("UPDATE audit_events SET record_id = 'YJ-99' WHERE id = 2")
    code, out = _verify(db_url)
    assert code == 1
    assert "Event 2 was changed after it was written." in out


def test_a_changed_row_with_recomputed_digests_is_still_found(db_url: str) -> None:
    """Someone who knows the algorithm rewrites event 2 and its digests: event 3 no
    longer follows it."""
    from snt_youth.store.chain import content_digest, link_digest

    _events(db_url)
    with snt_youth.open(db_url) as book:
        second = book.audit_trail()[1]
        with book._store.reading() as tx:
            prev = str(
                tx.conn.exec_driver_sql("SELECT prev_hash FROM audit_events WHERE id = 2").scalar()
            )
    content = content_digest(2, second.at, "someone", second.action, second.record_type, "YJ-2", "")
    link = link_digest(2, content, prev)
    _superuser_sql(db_url)(
        f"UPDATE audit_events SET user_name = 'someone', content_hash = '{content}', "
        f"hash = '{link}' WHERE id = 2"
    )
    code, out = _verify(db_url)
    assert code == 1
    assert "An event was removed between events 2 and 3." in out or "Event 2" in out


def test_a_deleted_row_is_named(db_url: str) -> None:
    _events(db_url)
    _superuser_sql(db_url)("DELETE FROM audit_events WHERE id = 2")
    code, out = _verify(db_url)
    assert code == 1
    assert "An event was removed between events 1 and 3." in out


def test_a_deleted_newest_row_is_found(db_url: str) -> None:
    _events(db_url)
    _superuser_sql(db_url)("DELETE FROM audit_events WHERE id = 4")
    code, out = _verify(db_url)
    assert code == 1
    assert "The newest events after event 3 were removed" in out


def test_an_inserted_row_is_named(db_url: str) -> None:
    _events(db_url)
    _superuser_sql(db_url)(
        "INSERT INTO audit_events (id, at, user_name, action, record_type, record_id, detail) "
        "VALUES (50, '2026-01-01 00:00:00', 'x', 'add', 'young_person', 'YJ-X', '')"
    )
    code, out = _verify(db_url)
    assert code == 1
    assert "Event 50 has no place in the chain: it was inserted outside snt-youth." in out


def test_an_inserted_row_with_a_good_link_is_named(db_url: str) -> None:
    """A forger who links a new event to the newest one is found by the chain's head."""
    from snt_youth.store.chain import content_digest, link_digest

    _events(db_url)
    with snt_youth.open(db_url) as book, book._store.reading() as tx:
        last = str(tx.conn.exec_driver_sql("SELECT hash FROM audit_events WHERE id = 4").scalar())
    at = dt.datetime(2026, 1, 1)
    content = content_digest(5, at, "x", "add", "young_person", "YJ-X", "")
    link = link_digest(5, content, last)
    _superuser_sql(db_url)(
        "INSERT INTO audit_events (id, at, user_name, action, record_type, record_id, detail, "
        f"content_hash, prev_hash, hash) VALUES (5, '2026-01-01 00:00:00', 'x', 'add', "
        f"'young_person', 'YJ-X', '', '{content}', '{last}', '{link}')"
    )
    code, out = _verify(db_url)
    assert code == 1
    assert "Event 5 was inserted" in out


def test_redaction_keeps_the_chain_whole_but_an_unmarked_edit_does_not(db_url: str) -> None:
    _events(db_url)
    with snt_youth.open(db_url, user="a.admin") as book:
        assert book.redact_audit([2, 3], "erasure of YJ-2 and YJ-3 after retention") == 2
        events = {e.id: e for e in book.audit_trail()}
    assert (events[2].record_id, events[2].detail) == ("", "")
    assert events[5].action == "redact" and events[5].detail.startswith("2 events: ")
    assert _verify(db_url)[0] == 0
    # Marking one more event as redacted by the same redaction does not add up.
    _superuser_sql(db_url)(
        "UPDATE audit_events SET record_id = '', detail = '', redacted_by = 5 WHERE id = 4"
    )
    code, out = _verify(db_url)
    assert code == 1
    assert "Event 2 is marked as redacted, but no later redaction event accounts for it." in out


def test_a_redaction_needs_events_that_exist(db_url: str) -> None:
    _events(db_url, 2)
    with snt_youth.open(db_url) as book:
        with pytest.raises(InvalidInput, match="do not exist or are already redacted"):
            book.redact_audit([1, 99], "erasure")
        assert len(book.audit_trail()) == 2  # nothing written


def test_two_processes_writing_at_once_never_fork_the_chain(db_url: str, tmp_path: Path) -> None:
    snt_youth.open(db_url).close()
    worker = textwrap.dedent(
        """
        import datetime as dt, sys
        import snt_youth
        with snt_youth.open(sys.argv[1], user=sys.argv[2]) as book:
            for i in range(15):
                book.add_young_person(f"{sys.argv[2]}-{i}", dt.date(2010, 3, 1), "north")
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", worker, db_url, name], stderr=subprocess.PIPE, text=True
        )
        for name in ("A", "B")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    code, out = _verify(db_url)
    assert code == 0, out
    assert "30 events" in out


def test_audit_output_cannot_forge_a_line(sqlite_url: str) -> None:
    with snt_youth.open(sqlite_url) as book:
        book.add_young_person("YJ-1", dt.date(2010, 3, 1), "north")
    forged = "x\n2026-01-01 00:00:00  boss  delete  young_person YJ-1\x1b[2K\u202e"
    _superuser_sql(sqlite_url)(f"UPDATE audit_events SET detail = '{forged}' WHERE id = 1")
    out = CliRunner().invoke(cli, ["--db", sqlite_url, "audit"]).output
    assert len(out.splitlines()) == 1
    assert "\\n2026-01-01" in out and "\\x1b[2K" in out and "\\u202e" in out
    assert "\x1b" not in out


def test_imported_history_is_checked_as_it_was_and_kept_apart(
    sqlite_url: str, tmp_path: Path
) -> None:
    _events(sqlite_url, 3)
    with snt_youth.open(sqlite_url, clock=FixedClock(TODAY)) as book:
        data = book.export_backup()
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    with snt_youth.open(target, clock=FixedClock(TODAY)) as restored:
        restored.import_backup(json.loads(json.dumps(data)))
        assert [e.action for e in restored.audit_trail()] == ["import"]
    assert _verify(target)[0] == 0
    code, out = _verify(target, "--imported")
    assert code == 0, out
    assert "the audit chain is whole: 3 events" in out  # the export is written after
    _superuser_sql(target)(
        "UPDATE imported_audit_events SET user_name = 'someone' WHERE original_id = 2"
    )
    code, out = _verify(target, "--imported")
    assert code == 1
    assert "Imported event 2 was changed after it was written." in out
    assert _verify(target)[0] == 0  # the local chain is its own


def test_upgrade_chains_the_events_already_stored(tmp_path: Path) -> None:
    """A database at schema 0004 with events gets them chained by migration 0005."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from snt_youth.store.engine import MIGRATIONS_DIR, make_engine

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        for i in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO audit_events (at, user_name, action, record_type, record_id, "
                    f"detail) VALUES ('2026-11-0{i} 10:00:00.000000', 'r.ahmed', 'add', "
                    f"'young_person', 'YJ-{i}', '')"
                )
            )
    engine.dispose()
    with Casebook.open(url) as book:
        assert book.schema_revision == HEAD
        verdict = book.verify_audit()
        book.add_young_person("YJ-9", dt.date(2010, 3, 1), "north")
        after = book.verify_audit()
    assert verdict.whole and verdict.events == 3
    assert after.whole and after.events == 4
