"""Backup and restore of every record, and what the database holds."""

from __future__ import annotations

from typing import Any

from snt_youth.casebook.base import CasebookBase
from snt_youth.errors import InvalidInput


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
        """Every record, as a versioned backup document (see :mod:`snt_youth.backup`)."""
        from snt_youth import backup

        with self._store.reading() as tx:
            tables = tx.dump_portable()
        data = backup.envelope(
            tables,
            schema_revision=self._store.revision,
            at=self.clock.now().isoformat(),
            by=self.user,
        )
        # Audited after the dump, so a backup never contains its own export event.
        self._audit_alone("export", "database", "*", f"{len(tables['young_people'])} young people")
        return data

    def import_backup(self, data: dict[str, Any], *, source: str = "backup") -> dict[str, int]:
        """Restore a backup into this empty database, all or nothing."""
        from snt_youth import backup

        tables = backup.check(data, source)
        with self._change() as tx:
            if not tx.is_empty():
                raise InvalidInput(
                    "This database already has young people in it. Import restores into an "
                    "empty database: use a new --db, or 'snt-youth init' on a new file."
                )
            tx.load_portable(tables, source)
            self._audit(tx, "import", "database", "*", f"from {source}")
            counts = tx.counts()
        return counts
