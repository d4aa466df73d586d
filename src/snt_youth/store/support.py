"""Support offers, with the sessions that count as attendance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, insert, select

from snt_youth import model
from snt_youth.errors import NotFound
from snt_youth.store.base import TxBase
from snt_youth.store.records import new_id, to_db
from snt_youth.store.schema import sessions, support_offers, young_people


class OfferTx(TxBase):
    """Support offers."""

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
        return new_id(result)

    def lock_offer(self, offer_id: int) -> int:
        """Lock an offer until the transaction ends; returns its version."""
        version = self.lock_row(support_offers, offer_id)
        if version is None:
            self.offer(offer_id)  # raises the NotFound message
        assert version is not None
        return version

    def update_offer(
        self,
        offer_id: int,
        values: Mapping[str, Any],
        *,
        version: int,
        add_contacts: int = 0,
    ) -> bool:
        """Change an offer if it is still at ``version``; contacts are added in SQL."""
        stored = {k: to_db(v) for k, v in values.items() if k != "contacts"}
        if add_contacts:
            stored["contacts"] = support_offers.c.contacts + add_contacts
        return self.bump_version(support_offers, offer_id, version, **stored)

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
