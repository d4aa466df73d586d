"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from snt_youth import model
from snt_youth.store.base import TxBase
from snt_youth.store.schema import audit_events, imported_audit_events


class AuditTx(TxBase):
    """Audit events, written in the same transaction as the change they record."""

    # -- audit ----------------------------------------------------------------------
    def audit(
        self,
        *,
        at: dt.datetime,
        user: str,
        action: str,
        record_type: str,
        record_id: object,
        detail: str = "",
    ) -> None:
        self.conn.execute(
            insert(audit_events).values(
                at=at,
                user_name=user,
                action=action,
                record_type=record_type,
                record_id=str(record_id),
                detail=detail,
            )
        )

    def audit_events(self, since: dt.datetime | None = None) -> list[model.AuditEvent]:
        query = select(audit_events).order_by(audit_events.c.at, audit_events.c.id)
        if since is not None:
            query = query.where(audit_events.c.at >= since)
        return [
            model.AuditEvent(
                r.id, r.at, r.user_name, r.action, r.record_type, r.record_id, r.detail
            )
            for r in self.conn.execute(query)
        ]

    def imported_audit_events(self) -> list[model.AuditEvent]:
        """Events from restored backups, with their original ids, marked as imported."""
        table = imported_audit_events
        return [
            model.AuditEvent(
                r.original_id,
                r.at,
                r.user_name,
                r.action,
                r.record_type,
                r.record_id,
                f"{r.detail} [imported from {r.imported_from}]".lstrip(),
            )
            for r in self.conn.execute(select(table).order_by(table.c.id))
        ]
