"""Encryption at rest: what protects this database, and changing it.

A SQLite database is encrypted unless someone chose otherwise with ``init --plain``;
that choice is audited, and :attr:`EncryptionCases.encryption` reports it. Encrypting
a plain file and changing a key are whole-file rewrites done by the store
(:func:`encrypt_database`, :func:`rekey_database` below), each audited afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from snt_youth.casebook.base import CasebookBase

if TYPE_CHECKING:
    from snt_youth.store.engine import Rewritten

#: The audit action that records a deliberate plain (unencrypted) database.
PLAIN_CHOICE = "plain-choice"


@attrs.frozen
class Encryption:
    """How the records are protected at rest, for ``config show`` and ``init``."""

    #: "encrypted", "plain" (a SQLite file without encryption) or "server".
    state: str
    #: Where the key is kept, in words (never the key itself).
    key_where: str | None = None
    #: True when this open made the key (the face says where it went).
    key_created: bool = False
    #: For a plain file: the audited choice ("by NAME on DATE"), or None if never chosen.
    plain_choice: str | None = None


class EncryptionCases(CasebookBase):
    """Use cases about encryption at rest."""

    @property
    def encryption(self) -> Encryption:
        """Whether this database is encrypted, and where its key is kept."""
        cipher = self._store.cipher
        if cipher is None:
            return Encryption("server")
        if cipher.key is not None:
            return Encryption("encrypted", cipher.key.where, cipher.key.created)
        return Encryption("plain", plain_choice=self._plain_choice())

    @property
    def new_key_where(self) -> str | None:
        """Where the key made by this open was kept, or None if no key was made."""
        cipher = self._store.cipher
        if cipher is None or cipher.key is None or not cipher.key.created:
            return None
        return cipher.key.where

    def _plain_choice(self) -> str | None:
        with self._store.reading() as tx:
            events = [e for e in tx.audit_events(None) if e.action == PLAIN_CHOICE]
        if not events:
            return None
        last = events[-1]
        return f"by {last.user} on {last.at:%Y-%m-%d}"

    def record_plain_choice(self) -> None:
        """Audit that this plain database was made plain on purpose (``init --plain``)."""
        if self.encryption.state != "plain" or self._plain_choice() is not None:
            return
        self._audit_alone(
            PLAIN_CHOICE, "database", "*", "not encrypted at rest, chosen with init --plain"
        )

    def save_key(self, path: str) -> str:
        """Write a copy of this database's key to ``path`` (0600, atomic), audited; the
        path written. The copy opens the database with ``--key-file`` and opens its
        key-locked backups with ``--passphrase-file``."""
        from snt_youth import keys
        from snt_youth.errors import InvalidInput

        cipher = self._store.cipher
        if cipher is None or cipher.key is None:
            raise InvalidInput("This database is not encrypted, so it has no key to save.")
        written: list[str] = []
        with self._change() as tx:
            self._audit(tx, "save-key", "database", "*", f"a copy of the key written to {path}")
            written.append(str(keys.write_key_file(Path(path).expanduser(), cipher.key.secret)))
        return written[0]


@attrs.frozen
class Change:
    """What ``encrypt`` or ``rekey`` did: the file, where its key is now, its rows."""

    database: str
    key_where: str
    key_created: bool
    counts: dict[str, int]


def encrypt(
    url: str | None,
    *,
    user: str | None = None,
    key_file: str | None = None,
    config_path: str | None = None,
) -> Change:
    """Encrypt a plain SQLite database in place, atomically, and audit it.

    Every table's rows are counted before and after; the new file replaces the old
    one only when they agree. The key is the one given (``key_file`` or
    ``SNT_YOUTH_KEY``), or a new one kept as for a new database.
    """
    from snt_youth import locations
    from snt_youth.store.engine import KeyChoice, encrypt_database

    url = url or locations.default_db_url()
    done = encrypt_database(url, KeyChoice(key_file=key_file))
    detail = f"encrypted at rest; key kept in {done.key.where}"
    return _audited(url, user, key_file, config_path, "encrypt", detail, done)


def rekey(
    url: str | None,
    *,
    user: str | None = None,
    key_file: str | None = None,
    new_key_file: str | None = None,
    config_path: str | None = None,
) -> Change:
    """Give an encrypted SQLite database a new random key, atomically, and audit it."""
    from snt_youth import locations
    from snt_youth.store.engine import KeyChoice, rekey_database

    url = url or locations.default_db_url()
    done = rekey_database(url, KeyChoice(key_file=key_file), new_key_file)
    opened_with = new_key_file if new_key_file is not None else key_file
    detail = f"new key kept in {done.key.where}"
    return _audited(url, user, opened_with, config_path, "rekey", detail, done)


def _audited(
    url: str,
    user: str | None,
    key_file: str | None,
    config_path: str | None,
    action: str,
    detail: str,
    done: Rewritten,
) -> Change:
    """Audit a rewrite in the rewritten database itself, opened with its new key."""
    from snt_youth.casebook import Casebook

    with Casebook.open(
        url, user=user, create=False, key_file=key_file, config_path=config_path
    ) as book:
        book.record_event(action, "database", "*", detail)
    return Change(str(done.path), done.key.where, done.key.created, dict(done.counts))
