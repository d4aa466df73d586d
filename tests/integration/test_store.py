"""Storage on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from tests.support import sqlite as raw_sqlite

import snt_youth
from snt_youth.errors import StorageError
from snt_youth.store import Store, funnel
from snt_youth.store.engine import HEAD
from snt_youth.store.schema import ALL_TABLES, metadata
from snt_youth.tracking.quarters import Quarter


def test_init_creates_every_table_and_is_idempotent(db_url: str) -> None:
    first = Store(db_url)
    second = Store(db_url)  # running again changes nothing
    assert first.revision == second.revision == HEAD
    names = set(inspect(second.engine).get_table_names())
    assert {t.name for t in ALL_TABLES} <= names
    assert "alembic_version" in names
    first.close()
    second.close()


def test_migrated_schema_matches_schema_module(db_url: str) -> None:
    """The Alembic migrations and schema.py describe the same columns."""
    store = Store(db_url)
    insp = inspect(store.engine)
    for table in metadata.sorted_tables:
        migrated = {c["name"]: c["nullable"] for c in insp.get_columns(table.name)}
        declared = {c.name: c.nullable for c in table.columns}
        assert migrated == declared, table.name
    store.close()


def test_newer_database_is_refused_and_left_untouched(db_url: str) -> None:
    store = Store(db_url)
    engine = store.engine  # keyed, on an encrypted SQLite file
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="newer version of snt-youth"):
        Store(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    store.close()


def test_open_without_create_on_empty_database_says_run_init(sqlite_url: str) -> None:
    with pytest.raises(StorageError, match="snt-youth init"):
        Store(sqlite_url, create=False)


def test_sqlite_file_is_private_and_durable(tmp_path: Path) -> None:
    path = tmp_path / "private" / "casebook.sqlite3"
    store = Store(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    store.close()


def test_default_database_lives_in_user_data_dir(tmp_path: Path) -> None:
    with snt_youth.open() as book:
        assert str(tmp_path / "home") in book.database
    db = tmp_path / "home" / "snt-youth.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_file_under_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="Cannot create the database file"):
        Store(f"sqlite:///{blocker / 'db.sqlite3'}")


def test_locked_database_is_a_clear_error_and_nothing_is_written(sqlite_url: str) -> None:
    book = snt_youth.open(sqlite_url)
    path = sqlite_url.removeprefix("sqlite:///")
    holder = raw_sqlite.connect(path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        import snt_youth.store.engine as engine_module

        old = engine_module.SQLITE_BUSY_TIMEOUT_MS
        engine_module.SQLITE_BUSY_TIMEOUT_MS = 50
        try:
            locked_book = snt_youth.open(sqlite_url)
            with pytest.raises(StorageError, match="locked"):
                locked_book.add_young_person("YJ-LOCK", dt.date(2010, 1, 1), "north")
            locked_book.close()
        finally:
            engine_module.SQLITE_BUSY_TIMEOUT_MS = old
    finally:
        holder.rollback()
        holder.close()
    assert book.young_people() == []
    book.close()


def test_bad_url_and_missing_driver_are_clear(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a database URL"):
        Store("not a url")
    with pytest.raises(StorageError, match=r"no driver|not installed"):
        Store("nosuchdb://x/y")


def test_unreachable_postgres_is_clear() -> None:
    with pytest.raises(StorageError, match="Cannot connect"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def _upgrade_to(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from snt_youth.store.engine import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def test_database_at_0001_with_data_upgrades_to_head_intact(db_url: str) -> None:
    """An old database opens at the newest schema, every row kept, with the new indexes."""
    engine = create_engine(db_url)
    _upgrade_to(engine, "0001")
    rows = {
        "young_people": "INSERT INTO young_people (id, case_ref, date_of_birth, gender, "
        "ethnicity, team, language, created_at) VALUES (1, 'YJ-1', '2010-05-01', 'male', "
        "'White', 'north', 'en', '2026-01-01 09:00:00')",
        "screenings": "INSERT INTO screenings (id, young_person_id, stage, screened_on, officer, "
        "instrument_id, instrument_version, status, need_identified, judgements) VALUES "
        "(1, 1, 'pre-court', '2026-02-01', 'o', 'i', '1', 'complete', true, '[]')",
        "support_offers": "INSERT INTO support_offers (id, young_person_id, screening_id, stage, "
        "offered_on, kind, service, response, contacts) VALUES "
        "(1, 1, 1, 'pre-court', '2026-02-03', 'internal', 's', 'accepted', 0)",
        "sessions": "INSERT INTO sessions (id, young_person_id, held_on, facilitator, matrix_id, "
        "matrix_version, reflection, next_steps, protective_adult_identified, "
        "confirmed_by_facilitator, offer_id) VALUES "
        "(1, 1, '2026-02-10', 'f', 'm', '1', '', '', true, false, 1)",
    }
    with engine.begin() as conn:
        for statement in rows.values():
            conn.execute(text(statement))
        before = {
            t: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {t}"))] for t in rows
        }
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    engine.dispose()

    store = Store(db_url)  # upgrades to head
    assert store.revision == HEAD
    with store.engine.connect() as conn:
        after = {
            t: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {t}"))] for t in rows
        }
    # Every old value is kept; 0003 adds a version (1) to each row and the reference's key.
    assert {t: [{k: r[k] for k in before[t][0]} for r in after[t]] for t in rows} == before
    assert all(r["version"] == 1 for t in rows for r in after[t])
    assert after["young_people"][0]["case_key"] == "yj-1"
    assert {i["name"] for i in inspect(store.engine).get_indexes("sessions")} >= {
        "ix_sessions_offer_held",
        "ix_sessions_person_protective",
    }
    with store.engine.connect() as conn:  # the upgraded rows count as before
        headline = funnel.headline_counts(conn, Quarter(2025, 4), dt.date(2026, 4, 10))
    assert {r.measure: r.count for r in headline} == {
        "screened": 1,
        "need_identified": 1,
        "offered": 1,
        "accepted": 1,
        "attended": 1,
        "completed": 0,
        "protective_adult": 1,
        "active": 1,
    }
    store.close()


def test_migrated_indexes_match_schema_module(db_url: str) -> None:
    """The Alembic migrations and schema.py describe the same indexes (our "ix_" ones;
    PostgreSQL also lists the indexes behind unique constraints)."""
    store = Store(db_url)
    insp = inspect(store.engine)
    for table in metadata.sorted_tables:
        migrated = {
            i["name"]: list(i["column_names"])
            for i in insp.get_indexes(table.name)
            if str(i["name"]).startswith("ix_")
        }
        declared = {i.name: [c.name for c in i.columns] for i in table.indexes}
        assert migrated == declared, table.name
    store.close()
