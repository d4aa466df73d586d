"""Screenings: drafts, answers one at a time, outcomes in columns."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from snt_youth import codec, model
from snt_youth.errors import InvalidInput, NotFound
from snt_youth.store.base import TxBase
from snt_youth.store.records import new_id
from snt_youth.store.schema import screening_answers, screenings, young_people


class ScreeningTx(TxBase):
    """Screenings and their answers."""

    # -- screenings ---------------------------------------------------------------
    def insert_screening(self, s: model.Screening) -> int:
        pid = self.person_id(s.case_ref)
        try:
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
        except IntegrityError:  # ix_screenings_one_draft: started at the same moment elsewhere
            raise InvalidInput(
                f"{s.case_ref} already has a {s.stage.value} screening in progress. "
                "Resume it instead of starting another."
            ) from None
        return new_id(result)

    def lock_screening(self, screening_id: int) -> int:
        """Lock a screening (and so its answers) until the transaction ends; its version."""
        version = self.lock_row(screenings, screening_id)
        if version is None:
            self.screening(screening_id)  # raises the NotFound message
        assert version is not None
        return version

    def bump_screening(self, screening_id: int, version: int) -> bool:
        """Record that a screening or its answers changed, if it is still at ``version``."""
        return self.bump_version(screenings, screening_id, version)

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
