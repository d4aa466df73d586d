"""Support offers: offering, the young person's response, contacts, start and end."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from snt_youth import model
from snt_youth.casebook.base import CasebookBase, choose
from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    from snt_youth.store import Tx


class SupportCases(CasebookBase):
    """Use cases about support offers. Each transition is one audited transaction."""

    def offer_support(
        self,
        case_ref: str,
        service: str,
        *,
        stage: str | model.Stage | None = None,
        offered_on: dt.date | None = None,
        screening_id: int | None = None,
        response: str | model.OfferResponse = model.OfferResponse.NO_RESPONSE,
    ) -> model.SupportOffer:
        """Record support offered to a young person (kind comes from the service config)."""
        svc = self.config.support_service(service)
        on = self._event_date(case_ref, offered_on, "Offer date")
        case_ref = self._person(case_ref).case_ref  # as stored, whatever case it was typed in
        with self._change() as tx:
            chosen_stage: model.Stage | None = (
                choose(model.Stage, stage, "Stage") if stage is not None else None
            )
            if screening_id is not None:
                screening = tx.screening(screening_id)
                if screening.case_ref != case_ref:
                    raise InvalidInput(
                        f"Screening {screening_id} belongs to another young person, not {case_ref}."
                    )
                if screening.status is not model.ScreeningStatus.COMPLETE:
                    raise InvalidInput(
                        f"Screening {screening_id} is still a draft: complete it before "
                        "linking an offer to it, or record the offer without the screening."
                    )
                chosen_stage = chosen_stage or screening.stage
            if chosen_stage is None:
                raise InvalidInput("Give the stage (pre-court or post-court) for this offer.")
            offer = model.SupportOffer(
                id=0,
                case_ref=case_ref,
                stage=chosen_stage,
                offered_on=on,
                kind=model.SupportKind(svc.kind),
                service=svc.id,
                screening_id=screening_id,
                response=choose(model.OfferResponse, response, "Response"),
            )
            offer_id = tx.insert_offer(offer)
            self._audit(tx, "offer", "support_offer", offer_id, f"{case_ref} {svc.id}")
        return attrs.evolve(offer, id=offer_id)

    def update_offer(
        self,
        offer_id: int,
        *,
        response: str | model.OfferResponse | None = None,
        started_on: dt.date | None = None,
        ended_on: dt.date | None = None,
        end_reason: str | model.EndReason | None = None,
        add_contacts: int = 0,
        expected_version: int | None = None,
    ) -> model.SupportOffer:
        """Record the young person's response, start, end, or contacts for an offer.

        With ``expected_version`` (from :meth:`record_version`), a change made by
        someone else since is refused with :class:`~snt_youth.errors.Conflict`.
        """
        with self._change() as tx:
            return self._change_offer(
                tx,
                offer_id,
                "update",
                response=response,
                started_on=started_on,
                ended_on=ended_on,
                end_reason=end_reason,
                add_contacts=add_contacts,
                expected_version=expected_version,
            )

    def accept_offer(
        self, offer_id: int, *, expected_version: int | None = None
    ) -> model.SupportOffer:
        """The young person accepted the offer."""
        return self._transition(
            offer_id, "accept", expected_version, response=model.OfferResponse.ACCEPTED
        )

    def decline_offer(
        self, offer_id: int, *, expected_version: int | None = None
    ) -> model.SupportOffer:
        """The young person declined the offer (refused once support has started)."""
        return self._transition(
            offer_id, "decline", expected_version, response=model.OfferResponse.DECLINED
        )

    def record_contact(
        self, offer_id: int, *, count: int = 1, expected_version: int | None = None
    ) -> model.SupportOffer:
        """``count`` contacts with the service took place (external support)."""
        if count < 1:
            raise InvalidInput("Record at least one contact.")
        return self._transition(offer_id, "contact", expected_version, add_contacts=count)

    def start_support(
        self, offer_id: int, *, on: dt.date | None = None, expected_version: int | None = None
    ) -> model.SupportOffer:
        """The support started on ``on`` (default today)."""
        return self._transition(
            offer_id, "start", expected_version, started_on=on or self.clock.today()
        )

    def end_support(
        self,
        offer_id: int,
        reason: str | model.EndReason,
        *,
        on: dt.date | None = None,
        expected_version: int | None = None,
    ) -> model.SupportOffer:
        """The support ended on ``on`` (default today) for ``reason`` (completed, ...)."""
        return self._transition(offer_id, "end", expected_version, ended_on=on, end_reason=reason)

    def offers_open_for_session(
        self, case_ref: str, on: dt.date | None = None
    ) -> list[model.SupportOffer]:
        """The offers a direct-work session held on ``on`` (default today) may count for.

        They are the young person's offers that were not declined, have not ended, and
        were made on or before the session date.
        """
        day = on or self.clock.today()
        return [o for o in self.offers(case_ref) if _session_may_count_for(o, day)]

    def _transition(
        self, offer_id: int, action: str, expected_version: int | None, **change: Any
    ) -> model.SupportOffer:
        """One named offer transition: one transaction, checked by the offer rules, audited."""
        with self._change() as tx:
            return self._change_offer(
                tx, offer_id, action, expected_version=expected_version, **change
            )

    def _change_offer(
        self,
        tx: Tx,
        offer_id: int,
        action: str,
        *,
        response: str | model.OfferResponse | None = None,
        started_on: dt.date | None = None,
        ended_on: dt.date | None = None,
        end_reason: str | model.EndReason | None = None,
        add_contacts: int = 0,
        expected_version: int | None = None,
    ) -> model.SupportOffer:
        """Check and store a change to an offer, audited as ``action``.

        The offer is locked first, so the rules are checked against what is stored
        now and no other writer can change it before this one commits.
        """
        version = tx.lock_offer(offer_id)
        offer = tx.offer(offer_id)
        what = f"{offer.case_ref}'s offer {offer_id}"
        self._check_version(tx, what, "support_offer", offer_id, version, expected_version)
        person = tx.young_person(offer.case_ref)
        values: dict[str, Any] = {}
        if response is not None:
            values["response"] = choose(model.OfferResponse, response, "Response")
        for name, day in (("started_on", started_on), ("ended_on", ended_on)):
            if day is not None:
                self._check_event_date(person, day, name.replace("_", " "))
                if day < offer.offered_on:
                    raise InvalidInput(
                        f"{name.replace('_', ' ').capitalize()} {day} is before the offer "
                        f"was made ({offer.offered_on})."
                    )
                values[name] = day
        if end_reason is not None:
            values["end_reason"] = choose(model.EndReason, end_reason, "End reason")
            values.setdefault("ended_on", offer.ended_on or self.clock.today())
        if add_contacts:
            if add_contacts < 0:
                raise InvalidInput("Contacts can only be added (a positive number).")
            values["contacts"] = offer.contacts + add_contacts  # checked here, added in SQL
            if response is None and offer.response is model.OfferResponse.NO_RESPONSE:
                # Taking part is a yes, as a direct-work session on the offer is.
                values["response"] = model.OfferResponse.ACCEPTED
        check_offer_rules(attrs.evolve(offer, **values))
        if not values:
            raise InvalidInput("Nothing to change: give a response, dates or contacts.")
        if not tx.update_offer(offer_id, values, version=version, add_contacts=add_contacts):
            raise self._conflict(tx, what, "support_offer", offer_id)
        self._audit(tx, action, "support_offer", offer_id, ", ".join(sorted(values)))
        return tx.offer(offer_id)

    def amend_offer(
        self,
        offer_id: int,
        *,
        reason: str,
        offered_on: dt.date | None = None,
        stage: str | model.Stage | None = None,
        service: str | None = None,
        response: str | model.OfferResponse | None = None,
        started_on: dt.date | None = None,
        ended_on: dt.date | None = None,
        end_reason: str | model.EndReason | None = None,
        contacts: int | None = None,
        clear: tuple[str, ...] = (),
        expected_version: int | None = None,
    ) -> model.SupportOffer:
        """Correct a support offer recorded wrongly, with a reason (rectification).

        Unlike the named transitions, a correction may set any value back or forward
        (``contacts`` is the corrected total) and ``clear`` may empty ``started_on``,
        ``ended_on`` or ``end_reason``. The result must still keep the offer rules.
        The audit event holds the reason and each changed field's old and new value.
        """
        from snt_youth.casebook.rectification import (
            amendment_detail,
            amendment_reason,
            changed_fields,
            nothing_changed,
        )

        why = amendment_reason(reason, "a support offer")
        clearable = ("started_on", "ended_on", "end_reason")
        with self._change() as tx:
            version = tx.lock_offer(offer_id)
            offer = tx.offer(offer_id)
            what = f"{offer.case_ref}'s offer {offer_id}"
            self._check_version(tx, what, "support_offer", offer_id, version, expected_version)
            person = tx.young_person(offer.case_ref)
            after: dict[str, Any] = {}
            days = (("offered_on", offered_on), ("started_on", started_on), ("ended_on", ended_on))
            for name, day in days:
                if day is not None:
                    self._check_event_date(person, day, name.replace("_", " ").capitalize())
                    after[name] = day
            if stage is not None:
                after["stage"] = choose(model.Stage, stage, "Stage")
            if service is not None:
                svc = self.config.support_service(service)
                after["service"] = svc.id
                after["kind"] = model.SupportKind(svc.kind)
            if response is not None:
                after["response"] = choose(model.OfferResponse, response, "Response")
            if end_reason is not None:
                after["end_reason"] = choose(model.EndReason, end_reason, "End reason")
            if contacts is not None:
                if contacts < 0:
                    raise InvalidInput("Contacts cannot be fewer than none.")
                after["contacts"] = contacts
            for name in clear:
                if name not in clearable:
                    raise InvalidInput(
                        f"{name!r} cannot be cleared; clear any of: {', '.join(clearable)}."
                    )
                if after.get(name) is not None:
                    raise InvalidInput(f"{name} is both given and cleared; choose one.")
                after[name] = None
            if not after:
                raise InvalidInput("Give at least one corrected value for the offer.")
            corrected = attrs.evolve(offer, **after)
            check_offer_rules(corrected)
            if offer.sessions and corrected.response is model.OfferResponse.DECLINED:
                raise InvalidInput(
                    f"Offer {offer_id} has direct-work sessions, so it cannot be declined."
                )
            held = [s.held_on for s in tx.sessions_for(offer.case_ref) if s.offer_id == offer_id]
            if held and corrected.offered_on > min(held):
                raise InvalidInput(
                    f"A session on offer {offer_id} was held on {min(held)}, before "
                    f"{corrected.offered_on}; the offer date cannot be after it."
                )
            diff = changed_fields({k: getattr(offer, k) for k in after}, after)
            if not diff:
                raise nothing_changed(what)
            values = {name: new for name, _old, new in diff}
            if not tx.amend_record("support_offer", offer_id, values, version=version):
                raise self._conflict(tx, what, "support_offer", offer_id)
            detail = f"{offer.case_ref}; {amendment_detail(why, diff)}"
            self._audit(tx, "amend", "support_offer", offer_id, detail)
            return tx.offer(offer_id)

    def offer(self, offer_id: int) -> model.SupportOffer:
        """One support offer, with its attended sessions counted."""
        with self._store.reading() as tx:
            return tx.offer(offer_id)

    def offers(self, case_ref: str) -> list[model.SupportOffer]:
        """A young person's support offers, oldest first."""
        with self._store.reading() as tx:
            return tx.offers_for(case_ref)


def _session_may_count_for(offer: model.SupportOffer, held_on: dt.date) -> bool:
    """Whether a session on ``held_on`` may count as attendance for ``offer``."""
    return offer.open and offer.offered_on <= held_on


def check_offer_rules(offer: model.SupportOffer) -> None:
    """The rules an offer's state must keep, whoever changes it (typed or imported)."""
    if offer.response is model.OfferResponse.DECLINED and (offer.started_on or offer.contacts):
        raise InvalidInput(
            "An offer the young person declined cannot have started or have contacts; "
            "record the response as accepted first."
        )
    if offer.contacts < 0:
        raise InvalidInput("Contacts can only be added (a positive number).")
    if offer.started_on and offer.started_on < offer.offered_on:
        raise InvalidInput(
            f"Started on {offer.started_on} is before the offer was made ({offer.offered_on})."
        )
    if offer.ended_on and offer.ended_on < offer.offered_on:
        raise InvalidInput(
            f"Ended on {offer.ended_on} is before the offer was made ({offer.offered_on})."
        )
    if offer.started_on and offer.ended_on and offer.ended_on < offer.started_on:
        raise InvalidInput("The end date is before the start date.")
    if offer.ended_on and offer.end_reason is None:
        raise InvalidInput(
            "Give the end reason (completed, disengaged, moved away, other) with the end date."
        )
