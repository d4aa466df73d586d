"""The audit trail: reading it, and auditing a read that matters."""

from __future__ import annotations

import datetime as dt

from snt_youth import model
from snt_youth.casebook.base import CasebookBase


class AuditCases(CasebookBase):
    """Use cases about the audit trail."""

    def audit_trail(self, since: dt.datetime | None = None) -> list[model.AuditEvent]:
        """Every audit event (since ``since``, if given), oldest first."""
        with self._store.reading() as tx:
            return tx.audit_events(since)

    def imported_audit_trail(self) -> list[model.AuditEvent]:
        """The audit history that came inside restored backups, oldest first.

        Each event keeps its original id, time and user; the detail ends with where it
        was imported from. These events are never part of :meth:`audit_trail`.
        """
        with self._store.reading() as tx:
            return tx.imported_audit_events()

    def record_event(self, action: str, record_type: str, record_id: object, detail: str) -> None:
        """Audit a read that matters (an unsuppressed report, a full export)."""
        self._audit_alone(action, record_type, record_id, detail)
