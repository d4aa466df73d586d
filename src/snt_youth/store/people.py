"""Young people, the caseload, and case notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from snt_youth import model
from snt_youth.errors import InvalidInput
from snt_youth.store.base import TxBase
from snt_youth.store.records import YOUNG_PERSON_COLUMNS, new_id, to_db, young_person_record
from snt_youth.store.schema import case_key, case_notes, screenings, support_offers, young_people
from snt_youth.store.views import CaseloadEntry


def _matches(search: str) -> ColumnElement[bool]:
    """Young people whose case reference or known-as contains ``search``, in any case."""
    like = f"%{search.lower()}%"
    return or_(
        func.lower(young_people.c.case_ref).like(like),
        func.lower(young_people.c.known_as).like(like),
    )


class PeopleTx(TxBase):
    """Young people and their case notes."""

    # -- young people -------------------------------------------------------------
    def has_young_person(self, case_ref: str) -> bool:
        return (
            self.conn.execute(
                select(young_people.c.id).where(young_people.c.case_key == case_key(case_ref))
            ).first()
            is not None
        )

    def insert_young_person(self, person: model.YoungPerson, at: dt.datetime) -> int:
        values = {name: to_db(getattr(person, name)) for name in YOUNG_PERSON_COLUMNS}
        try:
            result = self.conn.execute(
                insert(young_people).values(
                    **values, case_key=case_key(person.case_ref), created_at=at
                )
            )
        except IntegrityError:  # added at the same moment by someone else
            raise InvalidInput(
                f"Case reference {person.case_ref!r} is already on the caseload; "
                "each young person has one reference. Use 'young-person show' to see them."
            ) from None
        return new_id(result)

    def lock_young_person(self, case_ref: str) -> tuple[int, int]:
        """Lock a young person's row; returns their row id and version."""
        pid = self.person_id(case_ref)
        version = self.lock_row(young_people, pid)
        assert version is not None
        return pid, version

    def update_young_person(
        self, case_ref: str, values: Mapping[str, Any], *, version: int
    ) -> bool:
        """Change a young person's details if their row is still at ``version``."""
        return self.bump_version(
            young_people,
            self.person_id(case_ref),
            version,
            **{k: to_db(v) for k, v in values.items()},
        )

    def young_person(self, case_ref: str) -> model.YoungPerson:
        row = self.conn.execute(
            select(young_people).where(young_people.c.case_key == case_key(case_ref))
        ).first()
        if row is None:
            self.person_id(case_ref)  # raises the NotFound message
        assert row is not None
        return young_person_record(row)

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
        return [young_person_record(r) for r in self.conn.execute(query)]

    def caseload(
        self, *, team: str | None = None, search: str | None = None
    ) -> list[CaseloadEntry]:
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
        return [
            CaseloadEntry(
                case_ref=r.case_ref,
                known_as=r.known_as,
                date_of_birth=r.date_of_birth,
                team=r.team,
                officer=r.officer,
                last_stage=model.Stage(r.last_stage) if r.last_stage else None,
                last_screened_on=r.last_screened_on,
                last_need=None if r.last_need is None else bool(r.last_need),
                last_home=model.HomeAbuse(r.last_home) if r.last_home else None,
                last_safety=model.SafetyNow(r.last_safety) if r.last_safety else None,
                open_support=int(r.open_support),
                drafts=int(r.drafts),
            )
            for r in self.conn.execute(query).all()
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
        return new_id(result)

    def notes_for(self, case_ref: str) -> list[model.CaseNote]:
        rows = self.conn.execute(
            select(case_notes, young_people.c.case_ref)
            .join(young_people, young_people.c.id == case_notes.c.young_person_id)
            .where(case_notes.c.young_person_id == self.person_id(case_ref))
            .order_by(case_notes.c.written_on, case_notes.c.id)
        )
        return [model.CaseNote(r.id, r.case_ref, r.written_on, r.author, r.text) for r in rows]
