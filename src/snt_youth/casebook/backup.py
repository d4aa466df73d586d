"""Backup and restore of every record, and what the database holds."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from snt_youth.casebook.base import CasebookBase
from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    from snt_youth.sealed import Secret

T = TypeVar("T")


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector for a bulk restore.

    A restore makes hundreds of thousands of small row dicts, none in a cycle; the
    collector would walk them again and again (a third of the time, measured with
    scripts/bench_restore.py). Reference counting still frees them as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _export_detail(data: dict[str, Any]) -> str:
    return f"{len(data['tables']['young_people'])} young people"


class BackupCases(CasebookBase):
    """Use cases over the whole database."""

    def is_empty(self) -> bool:
        """Whether the database has no young people yet."""
        with self._store.reading() as tx:
            return tx.is_empty()

    def counts(self) -> dict[str, int]:
        """How many rows each table holds."""
        with self._store.reading() as tx:
            return tx.counts()

    def export_backup(self) -> dict[str, Any]:
        """Every record, as a versioned backup document (see :mod:`snt_youth.backup`).

        Audited as an export once the document is made. To write it to a file, use
        :meth:`save_backup`, which audits only a file that was written.
        """
        data = self._backup_document()
        # Audited after the dump, so a backup never contains its own export event.
        self._audit_alone("export", "database", "*", _export_detail(data))
        return data

    def save_backup(
        self,
        path: str | os.PathLike[str],
        *,
        passphrase: str | None = None,
        plain: bool = False,
    ) -> Path:
        """Write a full backup to ``path`` (0600, atomic) and audit it; the path written.

        The backup is encrypted (see :mod:`snt_youth.sealed`): with ``passphrase`` if
        given, else with this database's key. ``plain=True`` writes plain JSON, and
        the audit event says so. A database with no key (plain, or on a server) needs
        a passphrase or ``plain=True``.

        The audit event and the file are one step: the event is written in a
        transaction that commits only after the file is in place, so a failed write
        (a full disk, a missing folder) leaves no event, and a failed commit removes
        the file again.
        """
        from snt_youth.private_files import write_private

        return self.write_backup(
            lambda payload: write_private(path, payload),
            where=str(path),
            passphrase=passphrase,
            plain=plain,
        )

    def write_backup(
        self,
        write: Callable[[Any], T],
        *,
        where: str,
        passphrase: str | None = None,
        plain: bool = False,
    ) -> T:
        """Hand the backup (sealed bytes, or plain text when ``plain``) to ``write`` (for
        example, standard output) and audit it only if ``write`` returns; the event
        names ``where`` and how the backup is locked."""
        from snt_youth import backup, sealed

        secret = None if plain else self.backup_secret(passphrase)
        data = self._backup_document()
        text = backup.dumps(data)
        payload: str | bytes = text
        if secret is None:
            how = "plain JSON, not encrypted (--plain)"
        else:
            payload = backup.seal(text, secret)
            if secret.passphrase is not None:
                how = "encrypted with a passphrase"
            else:
                assert secret.database_key is not None
                how = (
                    f"encrypted with the database key (key id {sealed.key_id(secret.database_key)})"
                )
        written: list[T] = []
        try:
            with self._change() as tx:
                detail = f"{_export_detail(data)} to {where}, {how}"
                self._audit(tx, "export", "database", "*", detail)
                written.append(write(payload))
        except BaseException:
            if written and isinstance(written[0], Path):
                written[0].unlink(missing_ok=True)  # the event was not stored: no file either
            raise
        return written[0]

    def backup_secret(self, passphrase: str | None = None, *, required: bool = True) -> Secret:
        """What locks and opens this database's backups: ``passphrase`` if given, and
        the database key (a backup made with the key opens with it). With
        ``required``, having neither is refused with one sentence."""
        from snt_youth.sealed import Secret

        key = self._store.cipher.key if self._store.cipher is not None else None
        secret = Secret(passphrase=passphrase, database_key=None if key is None else key.secret)
        if required and secret.passphrase is None and secret.database_key is None:
            raise InvalidInput(
                "This database has no key to lock the backup with (it is not encrypted, or "
                "it is on a server); give a passphrase with --passphrase-file FILE or "
                "SNT_YOUTH_BACKUP_PASSPHRASE, or choose --plain."
            )
        return secret

    def _backup_document(self) -> dict[str, Any]:
        from snt_youth import backup

        with self._store.reading() as tx:
            tables = tx.dump_portable()
        return backup.envelope(
            tables,
            schema_revision=self._store.revision,
            at=self.clock.now().isoformat(),
            by=self.user,
        )

    def import_backup(self, data: dict[str, Any], *, source: str = "backup") -> dict[str, int]:
        """Restore a backup into this empty database, all or nothing.

        Every row is checked by the same rules as typed input (see
        :mod:`snt_youth.casebook.restore`); the first bad row refuses the whole file
        with one line naming the table, the row and the field.
        """
        from snt_youth import backup

        tables = backup.check(data, source)
        with _no_cycle_collection():
            return self._restore(data, tables, source)

    def _restore(self, data: dict[str, Any], tables: Any, source: str) -> dict[str, int]:
        from snt_youth.casebook.restore import RestoreCheck

        with self._store.reading() as tx:
            rows = tx.read_portable(tables, source)
        # Row by row through the rules typed input meets; the first bad row refuses all.
        RestoreCheck(self, source, tx.case_key).check(rows)  # type: ignore[arg-type]
        exported = f"exported {data.get('exported_at') or '?'} by {data.get('exported_by') or '?'}"
        with self._change() as tx:
            if not tx.is_empty():
                raise InvalidInput(
                    "This database already has young people in it. Import restores into an "
                    "empty database: use a new --db, or 'snt-youth init' on a new file."
                )
            kept = tx.load(
                rows, imported_at=self.clock.now(), imported_from=f"{source}, {exported}"
            )
            detail = f"from {source}; {kept} audit events from the backup kept as imported"
            self._audit(tx, "import", "database", "*", detail)
            counts = tx.counts()
        return counts
