"""The audit trail: who did what to which record, and when, in a hash chain.

Each event is chained to the one before it (``store/chain.py`` defines the canonical
form and the walk). Writing an event first locks the chain's head row
(``audit_chain``, ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the write
transaction already holds the database's write lock from ``BEGIN IMMEDIATE``), so two
writers never fork the chain: the second waits, then links to the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, text, update

from snt_youth import model
from snt_youth.errors import InvalidInput
from snt_youth.store.chain import (
    GENESIS,
    REDACT_ACTION,
    ChainRow,
    Verdict,
    content_digest,
    link_digest,
    walk,
)
from snt_youth.store.schema import audit_chain, audit_events, imported_audit_events
from snt_youth.store.users import AccessTx


class AuditTx(AccessTx):
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
    ) -> int:
        """Append one event to the chain; returns its id."""
        head = self.conn.execute(
            select(audit_chain.c.last_id, audit_chain.c.last_hash)
            .where(audit_chain.c.id == 1)
            .with_for_update()
        ).first()
        previous = GENESIS if head is None else str(head.last_hash)
        event_id = self._next_event_id()
        at = at.replace(tzinfo=None)
        record = str(record_id)
        content = content_digest(event_id, at, user, action, record_type, record, detail)
        link = link_digest(event_id, content, previous)
        self.conn.execute(
            insert(audit_events).values(
                id=event_id,
                at=at,
                user_name=user,
                action=action,
                record_type=record_type,
                record_id=record,
                detail=detail,
                content_hash=content,
                prev_hash=previous,
                hash=link,
            )
        )
        if head is None:
            self.conn.execute(insert(audit_chain).values(id=1, last_id=event_id, last_hash=link))
        else:
            self.conn.execute(
                update(audit_chain)
                .where(audit_chain.c.id == 1)
                .values(last_id=event_id, last_hash=link)
            )
        return event_id

    def _next_event_id(self) -> int:
        if self.conn.dialect.name == "postgresql":
            return int(
                self.conn.execute(
                    text("SELECT nextval(pg_get_serial_sequence('audit_events', 'id'))")
                ).scalar_one()
            )
        last = self.conn.execute(select(func.max(audit_events.c.id))).scalar()
        return int(last or 0) + 1

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

    # -- the chain ------------------------------------------------------------------
    def verify_audit(self) -> Verdict:
        """Walk this database's own chain, oldest first, and the recorded head."""
        t = audit_events
        rows = [_chain_row(r, r.id) for r in self.conn.execute(select(t).order_by(t.c.id))]
        head = self.conn.execute(
            select(audit_chain.c.last_id, audit_chain.c.last_hash).where(audit_chain.c.id == 1)
        ).first()
        recorded = None if head is None else (int(head.last_id), str(head.last_hash))
        if recorded == (0, GENESIS):
            recorded = None if not rows else recorded
        return walk(rows, recorded)

    def verify_imported_audit(self) -> list[tuple[str, Verdict | None]]:
        """Each restored backup's history checked as its own chain, as it was recorded.

        One entry per source (``imported_from``): None when that history carries no
        chain at all (a backup made before snt-youth kept one).
        """
        t = imported_audit_events
        groups: dict[str, list[ChainRow]] = {}
        for r in self.conn.execute(select(t).order_by(t.c.id)):
            groups.setdefault(r.imported_from, []).append(_chain_row(r, r.original_id))
        outside = self._redactions_of_restored_history(groups)
        out: list[tuple[str, Verdict | None]] = []
        for source, rows in groups.items():
            if all(r.hash is None for r in rows):
                out.append((source, None))
                continue
            rows.sort(key=lambda r: r.id)
            out.append((source, walk(rows, label="Imported event", outside=outside)))
        return out

    def _redactions_of_restored_history(
        self, groups: dict[str, list[ChainRow]]
    ) -> dict[int, tuple[ChainRow, int]]:
        """This database's redact events that cleared restored events (weeding), each
        with how many restored events, across every restored history, point at it."""
        total: dict[int, int] = {}
        for rows in groups.values():
            for r in rows:
                if r.redacted_by is not None:
                    total[r.redacted_by] = total.get(r.redacted_by, 0) + 1
        if not total:
            return {}
        t = audit_events
        found: dict[int, tuple[ChainRow, int]] = {}
        for e in self.conn.execute(select(t).where(t.c.id.in_(sorted(total)))):
            found[e.id] = (_chain_row(e, e.id), total[e.id])
        return found

    def live_audit_ids(self, event_ids: Iterable[int]) -> list[int]:
        """Those of ``event_ids`` that exist and are not redacted, in order."""
        found = self.conn.execute(
            select(audit_events.c.id).where(
                audit_events.c.id.in_(list(event_ids)), audit_events.c.redacted_by.is_(None)
            )
        ).scalars()
        return sorted(int(i) for i in found)

    def redact_audit_events(self, event_ids: Iterable[int], by_event_id: int) -> int:
        """Clear the record and detail of ``event_ids``, keeping each row, its digests,
        and ``redacted_by`` pointing at the later ``redact`` event ``by_event_id``.

        ``audit verify`` still passes: the link covers the content digest, and the
        redact event's detail must begin with how many events name it. Returns how
        many events were cleared.
        """
        ids = sorted({int(i) for i in event_ids})
        by = self.conn.execute(
            select(audit_events.c.action).where(audit_events.c.id == by_event_id)
        ).scalar()
        if by != REDACT_ACTION or not ids or max(ids) >= by_event_id:
            raise InvalidInput(
                "Audit events can be redacted only by a later redact event of their own."
            )
        if self.conn.dialect.name == "postgresql":
            changed = self.conn.execute(
                text("SELECT snt_redact_audit(CAST(:ids AS integer[]), :by)"),
                {"ids": ids, "by": by_event_id},
            ).scalar_one()
            return int(changed)
        result = self.conn.execute(
            update(audit_events)
            .where(audit_events.c.id.in_(ids), audit_events.c.redacted_by.is_(None))
            .values(record_id="", detail="", redacted_by=by_event_id)
        )
        return int(result.rowcount)


def _chain_row(r: Any, event_id: int) -> ChainRow:
    """One audit row as the chain walk sees it (``event_id``: its own id, or, for
    restored history, the id it had where it was written)."""
    return ChainRow(
        event_id,
        r.at,
        r.user_name,
        r.action,
        r.record_type,
        r.record_id,
        r.detail,
        r.content_hash,
        r.prev_hash,
        r.hash,
        r.redacted_by,
    )
