"""Subject access in SQL: the audit events about one young person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select

from snt_youth import model
from snt_youth.identifiers import mentions_case_ref
from snt_youth.store.base import TxBase
from snt_youth.store.retention import attached_records, in_chunks, text_contains
from snt_youth.store.schema import (
    audit_events,
    case_key,
    imported_audit_events,
    screening_answers,
)


class SubjectAccessTx(TxBase):
    """What the service holds about one young person, beyond their own records."""

    def answer_times(self, screening_id: int) -> dict[str, dt.datetime]:
        """When each answer of a screening was stored, by question id."""
        rows = self.conn.execute(
            select(screening_answers.c.item_id, screening_answers.c.answered_at).where(
                screening_answers.c.screening_id == screening_id
            )
        ).all()
        return {str(r.item_id): r.answered_at for r in rows}

    def audit_events_about(self, case_ref: str) -> list[model.AuditEvent]:
        """Audit events about one young person, oldest first: events on their own record
        or on anything attached to it, and events whose detail names their case
        reference. Events restored from a backup come last, marked as imported."""
        pid = self.person_id(case_ref)
        records = attached_records(self.conn, pid)
        found: list[model.AuditEvent] = []
        for table in (audit_events, imported_audit_events):
            by_record = [
                and_(
                    table.c.record_type == "young_person",
                    func.lower(table.c.record_id) == case_key(case_ref),
                )
            ]
            for record_type, ids in records.items():
                for chunk in in_chunks(ids, 500):
                    by_record.append(
                        and_(table.c.record_type == record_type, table.c.record_id.in_(chunk))
                    )
            rows = self.conn.execute(
                select(table)
                .where(or_(*by_record, text_contains(table.c.detail, case_ref.strip())))
                .order_by(table.c.at, table.c.id)
            ).all()
            for r in rows:
                is_theirs = r.record_type != "young_person" or r.record_id.lower() == case_key(
                    case_ref
                )
                about = any(
                    r.record_type == t and r.record_id in ids for t, ids in records.items()
                ) or (r.record_type == "young_person" and is_theirs)
                if not about and not mentions_case_ref(r.detail, case_ref):
                    continue  # the reference was only part of a longer one
                if table is audit_events:
                    found.append(
                        model.AuditEvent(
                            r.id, r.at, r.user_name, r.action, r.record_type, r.record_id, r.detail
                        )
                    )
                else:
                    found.append(
                        model.AuditEvent(
                            r.original_id,
                            r.at,
                            r.user_name,
                            r.action,
                            r.record_type,
                            r.record_id,
                            f"{r.detail} [imported from {r.imported_from}]".lstrip(),
                        )
                    )
        return found


__all__ = ["SubjectAccessTx"]
