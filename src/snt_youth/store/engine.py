"""Connecting to the database, and keeping its schema at the newest migration.

SQLite files are created readable by their owner only (0600) in a folder only the
owner can enter, with WAL, foreign keys and ``synchronous=FULL``. Any SQLAlchemy URL
works; PostgreSQL is the engine for a whole service.

On SQLite, pysqlite's own transaction handling is turned off and snt-youth emits
``BEGIN`` itself (the recipe in SQLAlchemy's SQLite dialect docs, "Serializable
isolation / Savepoints / Transactional DDL"). A write transaction begins with
``BEGIN IMMEDIATE``, so a use case reads, checks and writes with no other writer in
between; a migration's DDL is inside its transaction, so a killed upgrade leaves the
old schema.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from snt_youth.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Every revision this version of snt-youth knows, oldest first. A database at any
# other revision was written by a newer snt-youth and is refused.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]

SQLITE_BUSY_TIMEOUT_MS = 5000

#: The execution option that makes a SQLite transaction begin IMMEDIATE (a writer).
WRITING = "snt_youth_writing"

#: Held by an upgrade on PostgreSQL so two ``init`` runs never migrate at once.
_PG_UPGRADE_LOCK = 0x736E7479  # "snty"

#: The copy of a SQLite file taken before an upgrade, kept until the upgrade commits.
PRE_UPGRADE_SUFFIX = ".before-upgrade"


def describe_url(url: str) -> str:
    """The URL without any password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _prepare_sqlite_file(database: str) -> None:
    """Create the SQLite file and its folder with owner-only permissions."""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(
            f"Cannot create the database file {path} ({exc.strerror}). "
            "Choose a folder you can write to with --db or SNT_YOUTH_DB."
        ) from None
    if not os.access(path, os.R_OK | os.W_OK):
        raise StorageError(
            f"The database file {path} cannot be read and written by you. "
            "Check its permissions, or choose another file with --db."
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would otherwise BEGIN on its own, only before DML, never before DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # A writer takes the write lock at BEGIN, so what it read stays true until it commits.
    mode = "IMMEDIATE" if conn.get_execution_options().get(WRITING) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with our SQLite settings; raises StorageError clearly."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            f"{url!r} is not a database URL. Use e.g. sqlite:///path/file.sqlite3 or "
            "postgresql+psycopg://user@host/dbname."
        ) from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        _prepare_sqlite_file(parsed.database or "")
    try:
        engine = create_engine(parsed, future=True)
    except NoSuchModuleError:
        raise StorageError(
            f"snt-youth has no driver for {parsed.drivername!r}. For PostgreSQL install "
            "the extra: pip install 'snt-youth[postgres]' and use postgresql+psycopg://..."
        ) from None
    except ModuleNotFoundError as exc:
        raise StorageError(
            f"The database driver {exc.name!r} is not installed. For PostgreSQL: "
            "pip install 'snt-youth[postgres]'."
        ) from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


@contextmanager
def translate_errors(url: str) -> Iterator[None]:
    """Turn driver errors into one sentence a person can act on."""
    try:
        yield
    except OperationalError as exc:
        message = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
        where = describe_url(url)
        if "locked" in message or "busy" in message:
            raise StorageError(
                f"The database {where} is locked by another program (perhaps another "
                "snt-youth). Close it and try again; nothing was changed."
            ) from None
        if "readonly" in message or "read-only" in message:
            raise StorageError(
                f"The database {where} is read-only for you. Check its permissions; "
                "nothing was changed."
            ) from None
        if "unable to open" in message:
            raise StorageError(
                f"Cannot open the database {where}. Check the path and permissions."
            ) from None
        if "connect" in message or "connection" in message or "could not" in message:
            raise StorageError(
                f"Cannot connect to the database {where}. Check that the server is running "
                "and the URL is right."
            ) from None
        raise StorageError(f"The database {where} reported a problem: {exc.orig}") from None
    except DBAPIError as exc:
        if "file is not a database" in str(exc.orig).lower():
            raise StorageError(
                f"{describe_url(url)} is not an snt-youth database (the file is not SQLite "
                "at all). Check --db or SNT_YOUTH_DB; nothing was changed."
            ) from None
        raise StorageError(
            f"The database {describe_url(url)} refused the change: {exc.orig}. Nothing was changed."
        ) from None


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            if inspect(conn).has_table("young_people"):
                raise StorageError(
                    "This database has snt-youth tables but no schema version. "
                    "It may be damaged; restore it from a backup."
                )
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def ensure_schema(engine: Engine, url: str, *, create: bool) -> str:
    """Check the schema version; create or upgrade when ``create``. Returns the revision."""
    revision = current_revision(engine)
    if revision is not None and revision not in REVISIONS:
        raise StorageError(
            f"The database {describe_url(url)} was written by a newer version of snt-youth "
            f"(schema {revision}). Upgrade snt-youth to open it; nothing was changed."
        )
    copy = pre_upgrade_copy_path(engine)
    if revision == HEAD:
        if copy is not None and copy.exists():
            copy.unlink()  # an earlier upgrade committed but was stopped before tidying up
        return revision
    if not create:
        state = "empty" if revision is None else f"at an older schema ({revision})"
        raise StorageError(
            f"The database {describe_url(url)} is {state}. Run 'snt-youth init' to set it up."
        )
    if copy is not None and revision is not None:
        _copy_sqlite(engine, copy)
    upgrade(engine)
    if copy is not None and copy.exists():
        copy.unlink()  # the upgrade has committed
    return HEAD


def pre_upgrade_copy_path(engine: Engine) -> Path | None:
    """Where the copy of a SQLite file is kept during an upgrade (None for a server)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    path = Path(database).expanduser()
    return path.with_name(path.name + PRE_UPGRADE_SUFFIX)


def _copy_sqlite(engine: Engine, copy: Path) -> None:
    """A consistent copy of the database, made with SQLite's backup API, readable by
    the owner only. It stays beside the file until the upgrade has committed."""
    source_path = str(Path(engine.url.database or "").expanduser())
    fd = os.open(copy, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(copy, 0o600)
    source = sqlite3.connect(source_path)
    try:
        target = sqlite3.connect(str(copy))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def upgrade(engine: Engine) -> None:
    """Run Alembic migrations up to the newest revision, all in one transaction.

    On SQLite the transaction begins IMMEDIATE with foreign keys off (tables are
    rebuilt to add constraints; SQLite cannot change that setting inside a
    transaction), and the keys are checked before the commit. A kill at any point
    leaves the old schema, and the next ``init`` runs the upgrade again.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if sqlite:
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(**{WRITING: True}).begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text(f"SELECT pg_advisory_xact_lock({_PG_UPGRADE_LOCK})"))
                if _stored_revision(conn) == HEAD:
                    return  # another init finished it while this one waited
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise StorageError(
                            f"The upgrade found a row in {broken[0]} that points at a missing "
                            f"{broken[2]} row (row id {broken[1]}); nothing was changed. "
                            "Restore the database from a backup."
                        )
        finally:
            if sqlite:
                assert raw is not None
                raw.execute("PRAGMA foreign_keys = ON")


def _stored_revision(conn: Any) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])
