"""Reads and writes inside one transaction, turning rows into records and back."""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from snt_youth import codec, model
from snt_youth.errors import NotFound
from snt_youth.store.schema import (
    audit_events,
    case_notes,
    screening_answers,
    screenings,
    session_entries,
    sessions,
    support_offers,
    young_people,
)
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import CountRow

_YP_COLUMNS = (
    "case_ref",
    "known_as",
    "date_of_birth",
    "gender",
    "ethnicity",
    "team",
    "language",
    "officer",
)


def _young_person(row: Row[Any] | Mapping[str, Any]) -> model.YoungPerson:
    m = row._mapping if isinstance(row, Row) else row
    return model.YoungPerson(
        case_ref=m["case_ref"],
        known_as=m["known_as"],
        date_of_birth=m["date_of_birth"],
        gender=model.Gender(m["gender"]),
        ethnicity=model.Ethnicity(m["ethnicity"]),
        team=m["team"],
        language=model.Language(m["language"]),
        officer=m["officer"],
    )


def _matches(search: str) -> ColumnElement[bool]:
    """Young people whose case reference or known-as contains ``search``, in any case."""
    like = f"%{search.lower()}%"
    return or_(
        func.lower(young_people.c.case_ref).like(like),
        func.lower(young_people.c.known_as).like(like),
    )


class Tx:
    """Record-level operations on one connection (inside one transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- young people -------------------------------------------------------------
    def person_id(self, case_ref: str) -> int:
        found = self.conn.execute(
            select(young_people.c.id).where(young_people.c.case_ref == case_ref)
        ).scalar()
        if found is None:
            raise NotFound(
                f"No young person with case reference {case_ref!r}. "
                "Check the reference, or list the caseload with 'snt-youth young-person list'."
            )
        return int(found)

    def has_young_person(self, case_ref: str) -> bool:
        return (
            self.conn.execute(
                select(young_people.c.id).where(young_people.c.case_ref == case_ref)
            ).first()
            is not None
        )

    def insert_young_person(self, person: model.YoungPerson, at: dt.datetime) -> int:
        values = {name: _db(getattr(person, name)) for name in _YP_COLUMNS}
        result = self.conn.execute(insert(young_people).values(**values, created_at=at))
        return _new_id(result)

    def update_young_person(self, case_ref: str, values: Mapping[str, Any]) -> None:
        self.conn.execute(
            update(young_people)
            .where(young_people.c.case_ref == case_ref)
            .values(**{k: _db(v) for k, v in values.items()})
        )

    def young_person(self, case_ref: str) -> model.YoungPerson:
        row = self.conn.execute(
            select(young_people).where(young_people.c.case_ref == case_ref)
        ).first()
        if row is None:
            self.person_id(case_ref)  # raises the NotFound message
        assert row is not None
        return _young_person(row)

    def young_people(
        self, *, team: str | None = None, search: str | None = None, limit: int | None = None
    ) -> list[model.YoungPerson]:
        query = select(young_people).order_by(young_people.c.case_ref)
        if team:
            query = query.where(young_people.c.team == team)
        if search:
            query = query.where(_matches(search))
        if limit:
            query = query.limit(limit)
        return [_young_person(r) for r in self.conn.execute(query)]

    def caseload(self, *, team: str | None = None, search: str | None = None) -> list[Any]:
        """One row per young person with their last completed screening and open support."""
        last = (
            select(
                screenings.c.young_person_id,
                func.max(screenings.c.id).label("last_id"),
            )
            .where(screenings.c.status == model.ScreeningStatus.COMPLETE.value)
            .group_by(screenings.c.young_person_id)
            .subquery()
        )
        drafts = (
            select(screenings.c.young_person_id, func.count().label("drafts"))
            .where(screenings.c.status == model.ScreeningStatus.DRAFT.value)
            .group_by(screenings.c.young_person_id)
            .subquery()
        )
        open_offers = (
            select(support_offers.c.young_person_id, func.count().label("open_support"))
            .where(
                and_(
                    support_offers.c.ended_on.is_(None),
                    support_offers.c.response != model.OfferResponse.DECLINED.value,
                )
            )
            .group_by(support_offers.c.young_person_id)
            .subquery()
        )
        last_s = screenings.alias("last_s")
        query = (
            select(
                young_people.c.case_ref,
                young_people.c.known_as,
                young_people.c.date_of_birth,
                young_people.c.team,
                young_people.c.officer,
                last_s.c.stage.label("last_stage"),
                last_s.c.screened_on.label("last_screened_on"),
                last_s.c.need_identified.label("last_need"),
                last_s.c.home.label("last_home"),
                last_s.c.safety.label("last_safety"),
                func.coalesce(open_offers.c.open_support, 0).label("open_support"),
                func.coalesce(drafts.c.drafts, 0).label("drafts"),
            )
            .select_from(young_people)
            .outerjoin(last, last.c.young_person_id == young_people.c.id)
            .outerjoin(last_s, last_s.c.id == last.c.last_id)
            .outerjoin(open_offers, open_offers.c.young_person_id == young_people.c.id)
            .outerjoin(drafts, drafts.c.young_person_id == young_people.c.id)
            .order_by(young_people.c.case_ref)
        )
        if team:
            query = query.where(young_people.c.team == team)
        if search:
            query = query.where(_matches(search))
        # fetchall and plain rows: iterating a result fetches row by row, several times slower.
        return list(self.conn.execute(query).all())

    # -- screenings ---------------------------------------------------------------
    def insert_screening(self, s: model.Screening) -> int:
        pid = self.person_id(s.case_ref)
        result = self.conn.execute(
            insert(screenings).values(
                young_person_id=pid,
                stage=s.stage.value,
                screened_on=s.screened_on,
                officer=s.officer,
                instrument_id=s.instrument_id,
                instrument_version=s.instrument_version,
                status=s.status.value,
                judgements="[]",
            )
        )
        return _new_id(result)

    def set_answer(self, screening_id: int, item_id: str, response: str, at: dt.datetime) -> None:
        self.clear_answer(screening_id, item_id)
        self.conn.execute(
            insert(screening_answers).values(
                screening_id=screening_id, item_id=item_id, response=response, answered_at=at
            )
        )

    def clear_answer(self, screening_id: int, item_id: str) -> None:
        self.conn.execute(
            screening_answers.delete().where(
                and_(
                    screening_answers.c.screening_id == screening_id,
                    screening_answers.c.item_id == item_id,
                )
            )
        )

    def write_outcome(
        self,
        screening_id: int,
        *,
        outcome: model.ScreeningOutcome,
        judgements: Sequence[model.Judgement],
        safety_action: str | None,
        status: model.ScreeningStatus,
        completed_at: dt.datetime | None,
    ) -> None:
        self.conn.execute(
            update(screenings)
            .where(screenings.c.id == screening_id)
            .values(
                home=outcome.home.value,
                relationship=outcome.relationship.value,
                own_behaviour=outcome.own_behaviour.value,
                safety=outcome.safety.value,
                need_identified=outcome.need_identified,
                judgements=json.dumps(codec.unstructure(list(judgements))),
                safety_action=safety_action,
                status=status.value,
                completed_at=completed_at,
            )
        )

    def write_judgements(self, screening_id: int, judgements: Sequence[model.Judgement]) -> None:
        """Store levels raised on a draft, before it is completed."""
        self.conn.execute(
            update(screenings)
            .where(screenings.c.id == screening_id)
            .values(judgements=json.dumps(codec.unstructure(list(judgements))))
        )

    def screening(self, screening_id: int) -> model.Screening:
        found = self._screenings(screenings.c.id == screening_id)
        if not found:
            raise NotFound(
                f"No screening with id {screening_id}. "
                "List a young person's screenings with 'snt-youth screening list REF'."
            )
        return found[0]

    def screenings_for(self, case_ref: str) -> list[model.Screening]:
        pid = self.person_id(case_ref)
        return self._screenings(screenings.c.young_person_id == pid)

    def drafts(self) -> list[model.Screening]:
        return self._screenings(screenings.c.status == model.ScreeningStatus.DRAFT.value)

    def _screenings(self, where: Any) -> list[model.Screening]:
        rows = self.conn.execute(
            select(screenings, young_people.c.case_ref)
            .join(young_people, young_people.c.id == screenings.c.young_person_id)
            .where(where)
            .order_by(screenings.c.screened_on, screenings.c.id)
        ).all()
        if not rows:
            return []
        ids = [r.id for r in rows]
        answers: dict[int, dict[str, str]] = {i: {} for i in ids}
        for a in self.conn.execute(
            select(screening_answers)
            .where(screening_answers.c.screening_id.in_(ids))
            .order_by(screening_answers.c.answered_at)
        ):
            answers[a.screening_id][a.item_id] = a.response
        result = []
        for r in rows:
            outcome = None
            if r.home is not None:
                outcome = model.ScreeningOutcome(
                    home=model.HomeAbuse(r.home),
                    relationship=model.Relationship(r.relationship),
                    own_behaviour=model.OwnBehaviour(r.own_behaviour),
                    safety=model.SafetyNow(r.safety),
                )
            result.append(
                model.Screening(
                    id=r.id,
                    case_ref=r.case_ref,
                    stage=model.Stage(r.stage),
                    screened_on=r.screened_on,
                    officer=r.officer,
                    instrument_id=r.instrument_id,
                    instrument_version=r.instrument_version,
                    answers=answers[r.id],
                    status=model.ScreeningStatus(r.status),
                    outcome=outcome,
                    judgements=tuple(
                        codec.structure(
                            json.loads(r.judgements or "[]"),
                            list[model.Judgement],
                            source="stored judgements",
                            human=False,
                        )
                    ),
                    safety_action=r.safety_action,
                    completed_at=r.completed_at,
                )
            )
        return result

    # -- support offers -----------------------------------------------------------
    def insert_offer(self, o: model.SupportOffer) -> int:
        pid = self.person_id(o.case_ref)
        result = self.conn.execute(
            insert(support_offers).values(
                young_person_id=pid,
                screening_id=o.screening_id,
                stage=o.stage.value,
                offered_on=o.offered_on,
                kind=o.kind.value,
                service=o.service,
                response=o.response.value,
                started_on=o.started_on,
                ended_on=o.ended_on,
                end_reason=o.end_reason.value if o.end_reason else None,
                contacts=o.contacts,
            )
        )
        return _new_id(result)

    def update_offer(self, offer_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(
            update(support_offers)
            .where(support_offers.c.id == offer_id)
            .values(**{k: _db(v) for k, v in values.items()})
        )

    def offer(self, offer_id: int) -> model.SupportOffer:
        found = self._offers(support_offers.c.id == offer_id)
        if not found:
            raise NotFound(
                f"No support offer with id {offer_id}. "
                "List a young person's offers with 'snt-youth support list REF'."
            )
        return found[0]

    def offers_for(self, case_ref: str) -> list[model.SupportOffer]:
        return self._offers(support_offers.c.young_person_id == self.person_id(case_ref))

    def _offers(self, where: Any) -> list[model.SupportOffer]:
        attended = (
            select(sessions.c.offer_id, func.count().label("n"))
            .where(sessions.c.offer_id.is_not(None))
            .group_by(sessions.c.offer_id)
            .subquery()
        )
        rows = self.conn.execute(
            select(
                support_offers,
                young_people.c.case_ref,
                func.coalesce(attended.c.n, 0).label("session_count"),
            )
            .join(young_people, young_people.c.id == support_offers.c.young_person_id)
            .outerjoin(attended, attended.c.offer_id == support_offers.c.id)
            .where(where)
            .order_by(support_offers.c.offered_on, support_offers.c.id)
        )
        return [
            model.SupportOffer(
                id=r.id,
                case_ref=r.case_ref,
                stage=model.Stage(r.stage),
                offered_on=r.offered_on,
                kind=model.SupportKind(r.kind),
                service=r.service,
                screening_id=r.screening_id,
                response=model.OfferResponse(r.response),
                started_on=r.started_on,
                ended_on=r.ended_on,
                end_reason=model.EndReason(r.end_reason) if r.end_reason else None,
                contacts=r.contacts,
                sessions=int(r.session_count),
            )
            for r in rows
        ]

    # -- direct-work sessions -----------------------------------------------------
    def insert_session(self, s: model.Session) -> int:
        pid = self.person_id(s.case_ref)
        result = self.conn.execute(
            insert(sessions).values(
                young_person_id=pid,
                held_on=s.held_on,
                facilitator=s.facilitator,
                matrix_id=s.matrix_id,
                matrix_version=s.matrix_version,
                reflection=s.reflection,
                next_steps=s.next_steps,
                protective_adult_identified=s.protective_adult_identified,
                confirmed_by_facilitator=s.confirmed_by_facilitator,
                offer_id=s.offer_id,
            )
        )
        session_id = _new_id(result)
        if s.entries:
            self.conn.execute(
                insert(session_entries),
                [
                    {
                        "session_id": session_id,
                        "position": i,
                        "person": e.person,
                        "domain": e.domain,
                        "words": e.words,
                    }
                    for i, e in enumerate(s.entries)
                ],
            )
        return session_id

    def session(self, session_id: int) -> model.Session:
        found = self._sessions(sessions.c.id == session_id)
        if not found:
            raise NotFound(
                f"No session with id {session_id}. "
                "List a young person's sessions with 'snt-youth session list REF'."
            )
        return found[0]

    def sessions_for(self, case_ref: str) -> list[model.Session]:
        return self._sessions(sessions.c.young_person_id == self.person_id(case_ref))

    def _sessions(self, where: Any) -> list[model.Session]:
        rows = self.conn.execute(
            select(sessions, young_people.c.case_ref)
            .join(young_people, young_people.c.id == sessions.c.young_person_id)
            .where(where)
            .order_by(sessions.c.held_on, sessions.c.id)
        ).all()
        if not rows:
            return []
        entries: dict[int, list[model.MatrixEntry]] = {r.id: [] for r in rows}
        for e in self.conn.execute(
            select(session_entries)
            .where(session_entries.c.session_id.in_(list(entries)))
            .order_by(session_entries.c.session_id, session_entries.c.position)
        ):
            entries[e.session_id].append(model.MatrixEntry(e.person, e.domain, e.words))
        return [
            model.Session(
                id=r.id,
                case_ref=r.case_ref,
                held_on=r.held_on,
                facilitator=r.facilitator,
                matrix_id=r.matrix_id,
                matrix_version=r.matrix_version,
                entries=tuple(entries[r.id]),
                reflection=r.reflection,
                next_steps=r.next_steps,
                protective_adult_identified=bool(r.protective_adult_identified),
                confirmed_by_facilitator=bool(r.confirmed_by_facilitator),
                offer_id=r.offer_id,
            )
            for r in rows
        ]

    # -- case notes ---------------------------------------------------------------
    def insert_note(self, n: model.CaseNote) -> int:
        result = self.conn.execute(
            insert(case_notes).values(
                young_person_id=self.person_id(n.case_ref),
                written_on=n.written_on,
                author=n.author,
                text=n.text,
            )
        )
        return _new_id(result)

    def notes_for(self, case_ref: str) -> list[model.CaseNote]:
        rows = self.conn.execute(
            select(case_notes, young_people.c.case_ref)
            .join(young_people, young_people.c.id == case_notes.c.young_person_id)
            .where(case_notes.c.young_person_id == self.person_id(case_ref))
            .order_by(case_notes.c.written_on, case_notes.c.id)
        )
        return [model.CaseNote(r.id, r.case_ref, r.written_on, r.author, r.text) for r in rows]

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

    # -- quarterly figures -----------------------------------------------------------------
    def report_counts(
        self, quarter: Quarter, report_date: dt.date, *, team: str | None, trend_quarters: int
    ) -> list[CountRow]:
        from snt_youth.store import funnel

        return funnel.report_counts(
            self.conn, quarter, report_date, team=team, trend_quarters=trend_quarters
        )

    def quarters_with_data(self, *, calendar: bool) -> list[Quarter]:
        from snt_youth.store import funnel

        return funnel.quarters_with_data(self.conn, calendar=calendar)

    # -- whole-database operations ------------------------------------------------------
    def is_empty(self) -> bool:
        return self.conn.execute(select(func.count()).select_from(young_people)).scalar() == 0

    def counts(self) -> dict[str, int]:
        tables = (young_people, screenings, support_offers, sessions, case_notes, audit_events)
        return {
            t.name: int(self.conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in tables
        }

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, for a full backup."""
        from snt_youth.store.schema import ALL_TABLES

        out: dict[str, list[dict[str, Any]]] = {}
        for table in ALL_TABLES:
            order = list(table.primary_key.columns)
            out[table.name] = [
                dict(r._mapping) for r in self.conn.execute(select(table).order_by(*order))
            ]
        return out

    def load(self, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
        """Insert rows table by table, in dependency order, for a restore.

        Rows come from ``portable.from_portable`` for this dialect: every column present.
        """
        from snt_youth.store.schema import ALL_TABLES

        for table in ALL_TABLES:
            rows = list(tables.get(table.name, ()))
            if rows and table is audit_events:
                # Events already here (e.g. an export of this empty database) keep their ids.
                offset = self.max_id("audit_events")
                rows = [{**r, "id": r["id"] + offset} for r in rows] if offset else rows
            if rows:
                self._insert_many(table, rows)
        self._reset_sequences()

    def _insert_many(self, table: Any, rows: list[Mapping[str, Any]]) -> None:
        """Insert rows that hold every column. On SQLite the values are already in storage
        form (see ``portable.from_portable``) and go straight to the driver."""
        if self.conn.dialect.name != "sqlite":
            self.conn.execute(insert(table), rows)
            return
        names = [c.name for c in table.columns]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        values = operator.itemgetter(*names)
        self.conn.exec_driver_sql(sql, [values(r) for r in rows])

    def _reset_sequences(self) -> None:
        """After inserting explicit ids on PostgreSQL, move the id sequences past them."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in (young_people, screenings, support_offers, sessions, case_notes, audit_events):
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )

    def dump_portable(self) -> dict[str, list[dict[str, Any]]]:
        from snt_youth.store.portable import to_portable

        return to_portable(self.dump())

    def load_portable(self, tables: Any, source: str) -> None:
        from snt_youth.store.portable import from_portable

        self.load(from_portable(tables, source, sqlite=self.conn.dialect.name == "sqlite"))

    def max_id(self, table_name: str) -> int:
        from snt_youth.store.schema import metadata

        table = metadata.tables[table_name]
        return int(self.conn.execute(select(func.max(table.c.id))).scalar() or 0)


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _db(value: Any) -> Any:
    """Enum members are stored as their values."""
    if isinstance(value, Enum):
        return value.value
    return value
