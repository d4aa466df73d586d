"""Raw connections to the test databases, encrypted or plain, for tests that look inside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from snt_youth import keys
from snt_youth.store.engine import file_state


def connect(path: Path | str, key_file: str | None = None, timeout: float = 5.0) -> Any:
    """A DB-API connection to the SQLite file at ``path``: keyed with its kept key (or
    ``key_file``) when the file is encrypted, plain otherwise."""
    import sqlcipher3.dbapi2 as driver

    path = Path(path)
    connection = driver.connect(str(path), timeout=timeout)
    if file_state(path) != "plain":
        key = keys.find(path, key_file)
        assert key is not None, f"no key kept for {path}"
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = {key.pragma()}")
    return connection


def engine(url: str) -> Any:
    """A SQLAlchemy engine on ``url`` that reads past the product: for a SQLite file,
    through :func:`connect` (keyed when encrypted); any other URL as it is."""
    from sqlalchemy import create_engine

    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return create_engine("sqlite://", creator=lambda: connect(path))
    return create_engine(url)
