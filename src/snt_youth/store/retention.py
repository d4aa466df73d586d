"""Retention in SQL: each young person's last contact, and weeding one young person.

Weeding deletes the young person and every record attached to them, and scrubs the
audit trail of anything that names them. All audit scrubbing goes through one seam,
:func:`scrub_audit_for`, so the way audit events are redacted can change in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
from sqlalchemy import Connection, String, and_, cast, delete, desc, func, or_, select, true
from sqlalchemy import update as sql_update

from snt_youth.identifiers import date_spellings, names_young_person
from snt_youth.store.base import TxBase
from snt_youth.store.chain import REDACT_ACTION
from snt_youth.store.schema import (
    audit_events,
    case_key,
    case_notes,
    imported_audit_events,
    research_keys,
    screening_answers,
    screenings,
    session_entries,
    sessions,
    support_offers,
    young_people,
)

#: What each kind of contact is called, in the order a tie is broken (first wins).
CONTACT_KINDS = (
    "session",
    "screening",
    "support contact",
    "support ended",
    "support started",
    "support offered",
    "case note",
    "added to the caseload",
)


@attrs.frozen
class ContactDates:
    """One young person's details that retention needs, and their latest contact."""

    person_id: int
    case_ref: str
    known_as: str | None
    date_of_birth: dt.date
    last_contact: dt.date
    last_contact_kind: str
    open_support: int


@attrs.frozen
class Weeded:
    """How many rows weeding one young person removed, by table, and audit rows scrubbed."""

    rows: dict[str, int]
    audit_scrubbed: int


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # a driver that hands back text


def _like_escaped(text: str) -> str:
    """``text`` for a LIKE pattern, with its wildcards escaped (escape character: !)."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def text_contains(column: Any, text: str) -> Any:
    """A condition: ``column`` holds ``text`` anywhere, in any case (wildcards escaped)."""
    return func.lower(column).like(f"%{_like_escaped(text.lower())}%", escape="!")


def attached_records(conn: Connection, person_id: int) -> dict[str, list[str]]:
    """The audit record ids of everything attached to one young person, by record type."""
    found: dict[str, list[str]] = {}
    for record_type, table in (
        ("screening", screenings),
        ("support_offer", support_offers),
        ("session", sessions),
        ("case_note", case_notes),
    ):
        ids = conn.execute(select(table.c.id).where(table.c.young_person_id == person_id))
        found[record_type] = [str(i) for i in ids.scalars()]
    return found


def scrub_audit_for(tx: TxBase, person_id: int, case_reference: str, by_event_id: int) -> int:
    """Clear what names one young person from the audit trail; returns the events cleared.

    THE seam for audit redaction (every scrub of weeding and erasure comes here). An
    event is about the young person when its record is the young person or anything
    attached to them, or when its detail holds their case reference, known-as (as a
    whole word) or date of birth in any usual spelling. Such an event keeps its time,
    user, action and record type; its record id and detail are cleared and it points
    at ``by_event_id``, the event that says why. Events restored from a backup
    (``imported_audit_events``) are cleared the same way.

    Call it before the young person's rows are deleted: it finds the attached records
    through them.
    """
    conn = tx.conn
    person = conn.execute(
        select(young_people.c.known_as, young_people.c.date_of_birth).where(
            young_people.c.id == person_id
        )
    ).one()
    known_as: str | None = person.known_as
    dob = _as_date(person.date_of_birth)
    assert dob is not None
    records = attached_records(conn, person_id)
    cleared = 0
    for table in (audit_events, imported_audit_events):
        by_record = [
            and_(
                table.c.record_type == "young_person",
                func.lower(table.c.record_id) == case_key(case_reference),
            )
        ]
        for record_type, record_ids in records.items():
            for chunk in in_chunks(record_ids, 500):
                by_record.append(
                    and_(table.c.record_type == record_type, table.c.record_id.in_(chunk))
                )
        # The event that says why is never cleared; restored events are a separate list.
        not_the_event = table.c.id != by_event_id if table is audit_events else true()
        rough = [text_contains(table.c.detail, case_reference)]
        rough += [text_contains(table.c.detail, s) for s in date_spellings(dob)]
        if known_as:
            rough.append(text_contains(table.c.detail, known_as))
        ids: set[int] = set(
            conn.execute(select(table.c.id).where(or_(*by_record), not_the_event)).scalars()
        )
        for row in conn.execute(
            select(table.c.id, table.c.detail).where(or_(*rough), not_the_event)
        ):
            if names_young_person(row.detail, case_reference, known_as, dob):  # whole words
                ids.add(int(row.id))
        if ids:
            _redact(tx, table, sorted(ids), by_event_id)
        cleared += len(ids)
    return cleared


def _redact(tx: TxBase, table: Any, ids: list[int], by_event_id: int) -> None:
    """Clear ``ids`` through the audit chain's own redaction, so ``audit verify`` passes.

    One ``redact`` event, written after the weeding event and saying how many events it
    clears (and nothing that names the young person), accounts for the cleared events.
    Events restored from a backup get their own ``redact`` event, which the imported
    history's walk accepts as the reason those events no longer match their digests.
    """
    conn = tx.conn
    why = conn.execute(
        select(audit_events.c.at, audit_events.c.user_name, audit_events.c.action).where(
            audit_events.c.id == by_event_id
        )
    ).one()
    restored = table is imported_audit_events
    count = f"{len(ids)} {'event' if len(ids) == 1 else 'events'}"
    history = " of restored history" if restored else ""
    redact_id = tx.audit(  # type: ignore[attr-defined]
        at=why.at,
        user=why.user_name,
        action=REDACT_ACTION,
        record_type="audit_event",
        record_id="*",
        detail=f"{count}{history}: cleared by event {by_event_id} ({why.action})",
    )
    if not restored:
        if tx.redact_audit_events(ids, redact_id) != len(ids):  # type: ignore[attr-defined]
            raise RuntimeError("audit redaction cleared fewer events than it found")
        return
    for chunk in in_chunks(ids, 500):
        conn.execute(
            sql_update(table)
            .where(table.c.id.in_(chunk))
            .values(record_id="", detail="", redacted_by=redact_id)
        )


def in_chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    """``items`` in lists of at most ``size`` (to keep IN lists short)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RetentionTx(TxBase):
    """Last contact dates, and deleting one young person with everything attached."""

    def contact_dates(self, person_ids: list[int] | None = None) -> list[ContactDates]:
        """Every young person (or those of ``person_ids``) with their latest contact.

        A contact is: a screening's date, a support offer made, started or ended, a
        contact recorded on an offer (the date it was recorded), a direct-work session,
        a case note's date, and the day the young person was added to the caseload.
        """
        conn = self.conn
        p = young_people
        offer_contacts = (
            select(support_offers.c.young_person_id.label("pid"), audit_events.c.at.label("on"))
            .join(
                audit_events,
                and_(
                    audit_events.c.record_type == "support_offer",
                    audit_events.c.action == "contact",
                    audit_events.c.record_id == cast(support_offers.c.id, String),
                ),
            )
            .subquery()
        )
        sources: list[tuple[str, Any, Any]] = [
            ("session", sessions.c.young_person_id, sessions.c.held_on),
            ("screening", screenings.c.young_person_id, screenings.c.screened_on),
            ("support contact", offer_contacts.c.pid, offer_contacts.c.on),
            ("support ended", support_offers.c.young_person_id, support_offers.c.ended_on),
            ("support started", support_offers.c.young_person_id, support_offers.c.started_on),
            ("support offered", support_offers.c.young_person_id, support_offers.c.offered_on),
            ("case note", case_notes.c.young_person_id, case_notes.c.written_on),
        ]
        latest: dict[int, tuple[dt.date, str]] = {}
        for kind, pid, on in sources:
            query = select(pid.label("pid"), func.max(on).label("on")).group_by(pid)
            if person_ids is not None:
                query = query.where(pid.in_(person_ids))
            for row in conn.execute(query).all():
                day = _as_date(row.on)
                if day is None:
                    continue
                known = latest.get(int(row.pid))
                if known is None or day > known[0]:  # ties keep the earlier kind
                    latest[int(row.pid)] = (day, kind)
        open_offers = {
            int(pid): int(n)
            for pid, n in conn.execute(
                select(support_offers.c.young_person_id, func.count())
                .where(
                    support_offers.c.ended_on.is_(None),
                    support_offers.c.response != "declined",
                )
                .group_by(support_offers.c.young_person_id)
            ).all()
        }
        query = select(
            p.c.id, p.c.case_ref, p.c.known_as, p.c.date_of_birth, p.c.created_at
        ).order_by(p.c.case_ref)
        if person_ids is not None:
            query = query.where(p.c.id.in_(person_ids))
        result = []
        for row in conn.execute(query).all():
            added = _as_date(row.created_at)
            assert added is not None
            day, kind = latest.get(int(row.id), (added, "added to the caseload"))
            if added > day:
                day, kind = added, "added to the caseload"
            dob = _as_date(row.date_of_birth)
            assert dob is not None
            result.append(
                ContactDates(
                    person_id=int(row.id),
                    case_ref=row.case_ref,
                    known_as=row.known_as,
                    date_of_birth=dob,
                    last_contact=day,
                    last_contact_kind=kind,
                    open_support=int(open_offers.get(row.id, 0)),
                )
            )
        return result

    def forget_freed_pages(self) -> None:
        """After weeding on SQLite: write the log back into the file and empty it.

        Deleted rows may still sit in old page copies in the write-ahead log until it
        is checkpointed; this checkpoints it and truncates it to nothing. Call it from
        a read, outside any write. Other databases need nothing here.
        """
        if self.conn.dialect.name == "sqlite":
            self.conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def lock_for_weeding(self, case_ref: str) -> int:
        """Lock a young person's row against every other writer; returns its row id.

        On PostgreSQL this is a full row lock (FOR UPDATE), so a note or offer being
        added for them at the same moment waits, and then fails to find them. SQLite's
        write transaction already holds the whole database. NotFound when they are
        gone, including when another run deleted them while this one waited.
        """
        pid = self.person_id(case_ref)
        locked = self.conn.execute(
            select(young_people.c.id).where(young_people.c.id == pid).with_for_update()
        ).scalar()
        if locked is None:  # weeded by another run while this one waited for the lock
            self.person_id(case_ref)  # raises the NotFound message
        return pid

    def last_event_id(self, action: str, user: str, detail: str) -> int:
        """The id of the newest audit event with this action, user and detail."""
        found = self.conn.execute(
            select(audit_events.c.id)
            .where(
                audit_events.c.action == action,
                audit_events.c.user_name == user,
                audit_events.c.detail == detail,
            )
            .order_by(desc(audit_events.c.id))
            .limit(1)
        ).scalar()
        assert found is not None
        return int(found)

    def weed_young_person(self, person_id: int, case_ref: str, by_event_id: int) -> Weeded:
        """Delete one young person and every record attached, and scrub the audit trail.

        ``by_event_id`` is the audit event (already written) that says why. On SQLite
        the freed pages are overwritten with zeros (``secure_delete``), so the deleted
        text does not linger in the file.
        """
        conn = self.conn
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        scrubbed = scrub_audit_for(self, person_id, case_ref, by_event_id)
        screening_ids = select(screenings.c.id).where(screenings.c.young_person_id == person_id)
        session_ids = select(sessions.c.id).where(sessions.c.young_person_id == person_id)
        rows: dict[str, int] = {}
        steps: list[tuple[str, Any]] = [
            (
                "screening_answers",
                delete(screening_answers).where(
                    screening_answers.c.screening_id.in_(screening_ids)
                ),
            ),
            (
                "session_entries",
                delete(session_entries).where(session_entries.c.session_id.in_(session_ids)),
            ),
            # Sessions point at offers and offers at screenings: delete in that order.
            ("sessions", delete(sessions).where(sessions.c.young_person_id == person_id)),
            (
                "support_offers",
                delete(support_offers).where(support_offers.c.young_person_id == person_id),
            ),
            ("screenings", delete(screenings).where(screenings.c.young_person_id == person_id)),
            ("case_notes", delete(case_notes).where(case_notes.c.young_person_id == person_id)),
            ("young_people", delete(young_people).where(young_people.c.id == person_id)),
            # An old research extract's key must not link a new child who is later given
            # the same row id to the weeded child's pseudonym.
            (
                "research_keys",
                delete(research_keys).where(research_keys.c.young_person_id == person_id),
            ),
        ]
        for table, statement in steps:
            rows[table] = int(conn.execute(statement).rowcount)
        return Weeded(rows=rows, audit_scrubbed=scrubbed)


__all__ = [
    "CONTACT_KINDS",
    "ContactDates",
    "RetentionTx",
    "Weeded",
    "scrub_audit_for",
]
