"""Reads for the change report and the research extract, and the extract keys.

The reads return plain rows (mappings) of only the columns those two need: no case
note, no reflection, no next steps and no known-as is ever selected. Matrix entries
come without their words.

``research_keys`` (migration 0005) keeps, for every research extract, which
pseudonym and which date shift stand for which young person: the key that stays in
the service's database, so only the service can link an extract back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert, select

from snt_youth.store.base import TxBase
from snt_youth.store.schema import (
    research_keys,
    screening_answers,
    screenings,
    session_entries,
    sessions,
    support_offers,
    young_people,
)

Row = Mapping[str, Any]


class ResearchTx(TxBase):
    """The rows behind the change report and the research extract."""

    def research_rows(self, *, declined_only: bool = False) -> dict[str, list[Row]]:
        """Young people, completed screenings and their answers, offers, sessions and
        matrix entries (person and domain only), each ordered by id.

        ``declined_only`` (for the change report) reads only the "prefer not to say"
        answers, and no matrix entries.
        """
        s = screenings
        complete = s.c.status == "complete"
        answer_filter = complete
        if declined_only:
            answer_filter = complete & (screening_answers.c.response == "prefer-not-to-say")
        queries = {
            "young_people": select(
                young_people.c.id,
                young_people.c.date_of_birth,
                young_people.c.gender,
                young_people.c.ethnicity,
                young_people.c.team,
            ).order_by(young_people.c.id),
            "screenings": select(
                s.c.id,
                s.c.young_person_id,
                s.c.stage,
                s.c.screened_on,
                s.c.instrument_id,
                s.c.instrument_version,
                s.c.home,
                s.c.relationship,
                s.c.own_behaviour,
                s.c.safety,
                s.c.need_identified,
                s.c.judgements,
            )
            .where(complete)
            .order_by(s.c.id),
            "screening_answers": select(
                screening_answers.c.screening_id,
                screening_answers.c.item_id,
                screening_answers.c.response,
            )
            .join(s, s.c.id == screening_answers.c.screening_id)
            .where(answer_filter)
            .order_by(screening_answers.c.screening_id, screening_answers.c.item_id),
            "support_offers": select(
                support_offers.c.id,
                support_offers.c.young_person_id,
                support_offers.c.screening_id,
                support_offers.c.stage,
                support_offers.c.offered_on,
                support_offers.c.kind,
                support_offers.c.service,
                support_offers.c.response,
                support_offers.c.started_on,
                support_offers.c.ended_on,
                support_offers.c.end_reason,
                support_offers.c.contacts,
            ).order_by(support_offers.c.id),
            "sessions": select(
                sessions.c.id,
                sessions.c.young_person_id,
                sessions.c.held_on,
                sessions.c.matrix_id,
                sessions.c.protective_adult_identified,
                sessions.c.confirmed_by_facilitator,
                sessions.c.offer_id,
            ).order_by(sessions.c.id),
            "session_entries": select(
                session_entries.c.session_id,
                session_entries.c.position,
                session_entries.c.person,
                session_entries.c.domain,
            ).order_by(session_entries.c.session_id, session_entries.c.position),
        }
        found: dict[str, list[Row]] = {}
        if declined_only:
            del queries["session_entries"]
            found["session_entries"] = []
        for name, query in queries.items():
            result = self.conn.execute(query)
            columns = list(result.keys())
            found[name] = [dict(zip(columns, row, strict=True)) for row in result]
        return found

    def record_research_keys(
        self,
        extract: str,
        made_at: dt.datetime,
        keys: Iterable[tuple[int, str, int]],
    ) -> int:
        """Keep (young person id, pseudonym, days shifted) for one extract; how many."""
        rows = [
            {
                "extract": extract,
                "made_at": made_at,
                "young_person_id": person,
                "pseudonym": pseudonym,
                "shift_days": shift,
            }
            for person, pseudonym, shift in keys
        ]
        if rows:
            self.conn.execute(insert(research_keys), rows)
        return len(rows)

    def case_refs_by_id(self) -> list[tuple[int, str]]:
        """(row id, case reference) of every young person, to read a key back."""
        query = select(young_people.c.id, young_people.c.case_ref)
        return [(int(a), str(b)) for a, b in self.conn.execute(query)]

    def research_keys(self, extract: str) -> list[tuple[int, str, int]]:
        """(young person id, pseudonym, days shifted) of one extract, by pseudonym."""
        k = research_keys
        query = (
            select(k.c.young_person_id, k.c.pseudonym, k.c.shift_days)
            .where(k.c.extract == extract)
            .order_by(k.c.pseudonym)
        )
        return [(int(a), str(b), int(c)) for a, b, c in self.conn.execute(query)]


__all__ = ["ResearchTx"]
