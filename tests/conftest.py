"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when available)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from tests.support.postgres import PG_ENV, PG_REQUIRED_ENV, _postgres_base

import snt_youth
from snt_youth.casebook import Casebook

__all__ = ["PG_ENV", "PG_REQUIRED_ENV"]

# Every SQLite database a test makes is encrypted, as on a laptop with no keyring: its
# new key goes to a key file (named after the database path) in one folder for the whole
# run, so module-scoped databases keep their keys too. No test reaches the real keyring.
_NO_KEYRING = "keyring.backends.null.Keyring"
# Import helpers from tests.support, never from this file: importing it again under
# another name would make a second key folder and move SNT_YOUTH_KEY_DIR mid-run.
_KEY_DIR = tempfile.mkdtemp(prefix="snt-youth-test-keys-")
atexit.register(shutil.rmtree, _KEY_DIR, True)  # the run's keys go with it
os.environ["PYTHON_KEYRING_BACKEND"] = _NO_KEYRING
os.environ["SNT_YOUTH_KEY_DIR"] = _KEY_DIR


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user data folder or an inherited database setting."""
    monkeypatch.setenv("SNT_YOUTH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SNT_YOUTH_DB", raising=False)
    monkeypatch.delenv("SNT_YOUTH_CONFIG", raising=False)
    monkeypatch.setenv("SNT_YOUTH_USER", "test.officer")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", _NO_KEYRING)
    monkeypatch.setenv("SNT_YOUTH_KEY_DIR", _KEY_DIR)
    monkeypatch.delenv("SNT_YOUTH_KEY", raising=False)
    monkeypatch.delenv("SNT_YOUTH_BACKUP_PASSPHRASE", raising=False)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = _postgres_base()
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'casebook.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url: str = request.getfixturevalue("sqlite_url")
    else:
        url = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def book(db_url: str) -> Iterator[Casebook]:
    with snt_youth.open(db_url, user="test.officer") as opened:
        yield opened
