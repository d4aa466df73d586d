"""Direct-work sessions and their matrix entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from snt_youth import model
from snt_youth.errors import NotFound
from snt_youth.store.base import TxBase
from snt_youth.store.records import new_id
from snt_youth.store.schema import session_entries, sessions, young_people


class SessionTx(TxBase):
    """Direct-work sessions."""

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
        session_id = new_id(result)
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
