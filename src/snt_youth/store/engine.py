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

Encryption at rest: a SQLite file is encrypted with SQLCipher (the ``sqlcipher3``
driver, SQLCipher 4: AES-256 pages with an HMAC each, the WAL too) unless it was
made plain on purpose (``init --plain``). The key comes from :mod:`snt_youth.keys`
and is set as a raw key first thing on every connection (``do_connect``), so the
engine keeps the ``sqlite`` dialect and everything above: BEGIN IMMEDIATE, WAL,
the copy taken before an upgrade (made with the backup API, encrypted with the same
key). :func:`encrypt_file` and :func:`rekey_file` rewrite a file atomically with
``sqlcipher_export``: into a temporary file, checked table by table, fsynced, then
renamed over the old one.
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import attrs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from snt_youth import keys
from snt_youth.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Every revision this version of snt-youth knows, oldest first. A database at any
# other revision was written by a newer snt-youth and is refused.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = REVISIONS[-1]

# How long a SQLite writer waits for another to finish before it gives up with one
# sentence. Each write also appends to the audit chain (and, encrypted, pays for
# SQLCipher's page work), so a colleague's long import or a loaded laptop can hold
# the lock for seconds; 20 s keeps two officers on one file from seeing "busy".
SQLITE_BUSY_TIMEOUT_MS = 20000

#: The execution option that makes a SQLite transaction begin IMMEDIATE (a writer).
WRITING = "snt_youth_writing"

#: Held by an upgrade on PostgreSQL so two ``init`` runs never migrate at once.
_PG_UPGRADE_LOCK = 0x736E7479  # "snty"

#: The copy of a SQLite file taken before an upgrade, kept until the upgrade commits.
PRE_UPGRADE_SUFFIX = ".before-upgrade"


#: The first 16 bytes of every plain SQLite file; an encrypted file begins with salt.
SQLITE_HEADER = b"SQLite format 3\x00"

#: Page cache of an encrypted connection (KiB, as a negative cache_size): pages read
#: again are not decrypted again.
ENCRYPTED_CACHE_KIB = 32768

FileState = Literal["new", "plain", "encrypted"]


@attrs.frozen
class KeyChoice:
    """What the person chose about keys when opening a database."""

    key_file: str | None = None
    #: Make a new SQLite database plain (``init --plain``); refused for an encrypted one.
    plain: bool = False


@attrs.frozen
class Cipher:
    """How a SQLite file is protected: ``key`` None means plain."""

    key: keys.Key | None
    state: FileState  # what the file was when opened ("new" for one made now)

    @property
    def encrypted(self) -> bool:
        return self.key is not None


_CIPHERS: weakref.WeakKeyDictionary[Engine, Cipher] = weakref.WeakKeyDictionary()


def cipher_of(engine: Engine) -> Cipher | None:
    """The protection of a SQLite file engine; None for a server or an in-memory one."""
    return _CIPHERS.get(engine)


def file_state(path: Path) -> FileState:
    """New (absent or empty), plain SQLite, or encrypted (or not SQLite at all)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "new"
    except OSError:
        return "new"  # _prepare_sqlite_file reports what is wrong with it
    if not head:
        return "new"
    return "plain" if head == SQLITE_HEADER else "encrypted"


def _sqlcipher() -> Any:
    try:
        import sqlcipher3.dbapi2
    except ImportError:  # pragma: no cover - a dependency
        raise StorageError(
            "The SQLCipher driver (sqlcipher3) is missing, so the encrypted database "
            "cannot be opened; reinstall snt-youth."
        ) from None
    return sqlcipher3.dbapi2


def _keyed(connection: Any, key: keys.Key) -> None:
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = {key.pragma()}")


def _opens(path: Path, key: keys.Key) -> bool:
    """Whether ``key`` opens the encrypted file at ``path``."""
    driver = _sqlcipher()
    connection = driver.connect(str(path), timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        _keyed(connection, key)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError as exc:
        message = str(exc).lower()
        if "not a database" in message:
            return False
        if "locked" in message or "busy" in message:
            raise StorageError(
                f"The database {path} is locked by another program (perhaps another "
                "snt-youth). Close it and try again; nothing was changed."
            ) from None
        raise StorageError(f"The database {path} could not be opened: {exc}.") from None
    finally:
        connection.close()
    return True


def choose_cipher(path: Path, choice: KeyChoice) -> Cipher:
    """Find the key a SQLite file needs (or make one for a new file), and check it.

    Each refusal is one sentence that says where the key was looked for.
    """
    state = file_state(path)
    if state == "new":
        if choice.plain:
            return Cipher(None, state)
        return Cipher(keys.find_or_make(path, choice.key_file), state)
    if state == "plain":
        given = keys.explicit(choice.key_file)
        if given is not None:
            raise StorageError(
                f"The database {path} is a plain, unencrypted file, but a key was given in "
                f"{given.where}; encrypt it with 'snt-youth encrypt', or give no key to open "
                "it as it is."
            )
        return Cipher(None, state)
    if choice.plain:
        raise StorageError(
            f"The database {path} is already encrypted; --plain makes a new database only, "
            "so choose a new file with --db, or leave out --plain."
        )
    key = keys.find(path, choice.key_file)
    if key is None:
        raise StorageError(
            f"The database {path} is not a plain SQLite file: it is encrypted, or it is not "
            f"an snt-youth database at all, and no key for it was found in "
            f"{keys.looked(path, choice.key_file)}."
        )
    if _opens(path, key):
        return Cipher(key, state)
    waiting = keys.pending(path, key)
    if waiting is not None and _opens(path, waiting):
        # A rekey was stopped after the file was rewritten: the new key is the key now.
        return Cipher(keys.promote(path, key), state)
    raise StorageError(
        f"The key from {key.where} does not open the database {path}: it is the key of "
        "another database, or the file is not an snt-youth database; nothing was changed."
    )


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


def _sqlite_path(database: str) -> Path | None:
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def make_engine(url: str, choice: KeyChoice | None = None) -> Engine:
    """An engine for ``url`` with our SQLite settings; raises StorageError clearly.

    A SQLite file is opened encrypted unless it is plain (see :func:`choose_cipher`);
    :func:`cipher_of` tells which.
    """
    choice = choice or KeyChoice()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            f"{url!r} is not a database URL. Use e.g. sqlite:///path/file.sqlite3 or "
            "postgresql+psycopg://user@host/dbname."
        ) from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    cipher: Cipher | None = None
    options: dict[str, Any] = {}
    if is_sqlite:
        path = _sqlite_path(parsed.database or "")
        if path is not None:
            cipher = choose_cipher(path, choice)
        _prepare_sqlite_file(parsed.database or "")
        if cipher is not None and cipher.key is not None:
            options["module"] = _sqlcipher()
    try:
        engine = create_engine(parsed, future=True, **options)
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
        if cipher is not None and cipher.key is not None:
            event.listen(engine, "do_connect", _keyed_connect(cipher.key))
            event.listen(engine, "connect", _encrypted_pragmas)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    if cipher is not None:
        _CIPHERS[engine] = cipher
    return engine


def _keyed_connect(key: keys.Key) -> Any:
    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        connection = _sqlcipher().connect(*cargs, **cparams)
        _keyed(connection, key)
        return connection

    return connect


def _encrypted_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")


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
    cipher = cipher_of(engine)
    key = cipher.key if cipher is not None else None
    driver: Any = sqlite3 if key is None else _sqlcipher()
    source = driver.connect(source_path)
    try:
        target = driver.connect(str(copy))
        if key is not None:  # the copy is encrypted with the same key
            _keyed(source, key)
            _keyed(target, key)
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


# -- encrypt and rekey: a whole file rewritten, atomically ---------------------------------
@attrs.frozen
class Rewritten:
    """What :func:`encrypt_database` or :func:`rekey_database` did."""

    path: Path
    key: keys.Key  # the key the file has now (where it is kept)
    counts: dict[str, int]  # rows per table, the same before and after


def _database_file(url: str, doing: str) -> Path:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"{url!r} is not a database URL.") from None
    path = _sqlite_path(parsed.database or "") if parsed.get_backend_name() == "sqlite" else None
    if path is None:
        raise StorageError(
            f"snt-youth can {doing} only an embedded SQLite file; protect a PostgreSQL "
            "database with disk encryption and TLS (see docs/admin.md)."
        )
    if not path.is_file():
        raise StorageError(f"There is no database at {path}; check --db or SNT_YOUTH_DB.")
    return path


def _counts(connection: Any, schema: str = "main") -> dict[str, int]:
    names = [
        str(row[0])
        for row in connection.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0])
        for name in names
    }


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(fd)


def _rewrite(path: Path, source_key: keys.Key | None, target: keys.Key) -> dict[str, int]:
    """Copy every page of ``path`` into a new file encrypted with ``target``, check that
    every table has the same rows, fsync it and rename it over ``path``.

    The old file is held with an exclusive lock throughout; a process killed at any
    point leaves either the old file whole or the new one whole.
    """
    driver = _sqlcipher()
    import secrets

    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.rewrite")
    source = driver.connect(str(path), isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        if source_key is not None:
            _keyed(source, source_key)
        else:
            source.execute("PRAGMA cipher_log_level = NONE")
        try:
            # Leaving WAL needs the only connection: another program with it open refuses.
            mode = str(source.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
            source.execute("PRAGMA locking_mode = EXCLUSIVE")
            version = int(source.execute("PRAGMA user_version").fetchone()[0])
            source.execute(f"PRAGMA user_version = {version}")  # takes the write lock, kept
        except driver.OperationalError:
            mode = ""
        if mode.lower() != "delete":
            raise StorageError(
                f"The database {path} is open in another program (perhaps another snt-youth); "
                "close it and try again; nothing was changed."
            )
        before = _counts(source)
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        try:
            source.execute(
                "ATTACH DATABASE ? AS rewritten KEY ?", (str(temporary), f"x'{target.hex}'")
            )
            source.execute("SELECT sqlcipher_export('rewritten')")
            source.execute("DETACH DATABASE rewritten")
            check = driver.connect(str(temporary), isolation_level=None)
            try:
                _keyed(check, target)
                after = _counts(check)
                healthy = str(check.execute("PRAGMA quick_check").fetchone()[0])
            finally:
                check.close()
            if after != before or healthy != "ok":
                raise StorageError(
                    f"The rewritten copy of {path} did not hold the same rows; the database "
                    "was left as it was."
                )
            _fsync(temporary)
            os.replace(temporary, path)
            _sync_folder(path.parent)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    finally:
        source.close()
    return before


def encrypt_database(url: str, choice: KeyChoice) -> Rewritten:
    """Encrypt a plain SQLite database in place (see :func:`_rewrite`).

    The key (given, kept or new) is kept before the file is rewritten, so whichever
    file a kill leaves, it opens: the old one plain, the new one with the kept key.
    """
    path = _database_file(url, "encrypt")
    if file_state(path) != "plain":
        raise StorageError(
            f"The database {path} is already encrypted (or is not SQLite); to change its key "
            "use 'snt-youth rekey'."
        )
    key = keys.find_or_make(path, choice.key_file)
    counts = _rewrite(path, None, key)
    return Rewritten(path, key, counts)


def rekey_database(url: str, choice: KeyChoice, new_key_file: str | None = None) -> Rewritten:
    """Give an encrypted SQLite database a new random key, atomically.

    The new key is kept as pending beside the current one (or written to
    ``new_key_file``) before the file is rewritten; once the new file is in place the
    pending key becomes the current one. An open after a kill in between finds the
    current key refused and the pending one accepted, and finishes the change.
    """
    path = _database_file(url, "rekey")
    if file_state(path) != "encrypted":
        raise StorageError(
            f"The database {path} is not encrypted, so it has no key to change; encrypt it "
            "with 'snt-youth encrypt'."
        )
    current = choose_cipher(path, KeyChoice(key_file=choice.key_file)).key
    assert current is not None
    secret = keys.new_secret()
    if new_key_file is not None:
        target = Path(new_key_file).expanduser()
        keys.write_key_file(target, secret)
        new = keys.Key(secret, f"the key file {target}", "keyfile", path=target)
        counts = _rewrite(path, current, new)
        return Rewritten(path, new, counts)
    where = keys.keep_pending(path, current, secret)
    try:
        counts = _rewrite(path, current, keys.Key(secret, where, current.kind))
    except BaseException:
        keys.drop_pending(path, current)
        raise
    return Rewritten(path, keys.promote(path, current), counts)
