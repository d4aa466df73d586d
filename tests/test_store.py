"""Storage on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

import snt_youth
from snt_youth.errors import StorageError
from snt_youth.store import Store
from snt_youth.store.engine import HEAD
from snt_youth.store.schema import ALL_TABLES, metadata


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
    Store(db_url).close()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="newer version of snt-youth"):
        Store(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()


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
    holder = sqlite3.connect(path, timeout=0)
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
