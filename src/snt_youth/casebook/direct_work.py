"""Direct work: sessions with a matrix, and what they give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from snt_youth import model
from snt_youth.casebook.base import CasebookBase
from snt_youth.casebook.text import check_free_text
from snt_youth.errors import InvalidInput


class DirectWorkCases(CasebookBase):
    """Use cases about direct-work sessions."""

    def record_session(
        self,
        case_ref: str,
        matrix_id: str,
        entries: Sequence[model.MatrixEntry],
        *,
        held_on: dt.date | None = None,
        reflection: str = "",
        next_steps: str = "",
        offer_id: int | None = None,
        confirmed: bool | None = None,
    ) -> model.Session:
        """Record a direct-work session with its matrix entries.

        "Protective adult identified" is derived from the entries. The facilitator can
        confirm it (``confirmed=True``) or record that, on reflection, no protective adult
        was identified (``confirmed=False``), which is audited. A session linked to an
        offer counts as attendance for that offer.
        """
        from snt_youth.protect import load_matrix, protective_adult_identified, validate_entries

        matrix = load_matrix(matrix_id)
        checked = validate_entries(matrix, entries)
        for number, entry in enumerate(checked, start=1):
            check_free_text(entry.words, f"The words of entry {number}")
        reflection = check_free_text(reflection, "The reflection")
        next_steps = check_free_text(next_steps, "The next steps")
        on = self._event_date(case_ref, held_on, "Session date")
        case_ref = self._person(case_ref).case_ref  # as stored, whatever case it was typed in
        derived = protective_adult_identified(matrix, checked)
        identified = derived if confirmed is None else (derived and confirmed)
        with self._change() as tx:
            if offer_id is not None:
                offer_version = tx.lock_offer(offer_id)
                offer = tx.offer(offer_id)
                if offer.case_ref != case_ref:
                    raise InvalidInput(
                        f"Support offer {offer_id} belongs to another young person, not "
                        f"{case_ref}. Check the offer id with 'snt-youth support list {case_ref}'."
                    )
                if offer.response is model.OfferResponse.DECLINED:
                    raise InvalidInput(
                        f"Support offer {offer_id} was declined; record the young person's "
                        "acceptance first ('snt-youth support update')."
                    )
                if on < offer.offered_on:
                    raise InvalidInput(
                        f"The session date {on} is before offer {offer_id} was made "
                        f"({offer.offered_on})."
                    )
            session = model.Session(
                id=0,
                case_ref=case_ref,
                held_on=on,
                facilitator=self.user,
                matrix_id=matrix.id,
                matrix_version=matrix.version,
                entries=tuple(checked),
                reflection=reflection.strip(),
                next_steps=next_steps.strip(),
                protective_adult_identified=identified,
                confirmed_by_facilitator=confirmed is not None,
                offer_id=offer_id,
            )
            new_id = tx.insert_session(session)
            if offer_id is not None:
                offer = tx.offer(offer_id)
                changes: dict[str, Any] = {}
                if offer.response is model.OfferResponse.NO_RESPONSE:
                    changes["response"] = model.OfferResponse.ACCEPTED
                if offer.started_on is None:
                    changes["started_on"] = on
                if changes:
                    if not tx.update_offer(offer_id, changes, version=offer_version):
                        raise self._conflict(
                            tx, f"{case_ref}'s offer {offer_id}", "support_offer", offer_id
                        )
                    self._audit(tx, "update", "support_offer", offer_id, "started by a session")
            found = "yes" if identified else "no"
            detail = f"{case_ref} {matrix.id}; protective adult identified: {found}"
            if confirmed is False and derived:
                detail += " (facilitator judged no protective adult from the entries)"
            self._audit(tx, "record", "session", new_id, detail)
        return attrs.evolve(session, id=new_id)

    def amend_session(
        self,
        session_id: int,
        *,
        reason: str,
        held_on: dt.date | None = None,
        reflection: str | None = None,
        next_steps: str | None = None,
        expected_version: int | None = None,
    ) -> model.Session:
        """Correct a session's date, reflection or next steps, with a reason.

        The audit event holds the reason and each changed field's old and new value.
        """
        from snt_youth.casebook.rectification import (
            amendment_detail,
            amendment_reason,
            changed_fields,
            nothing_changed,
        )

        why = amendment_reason(reason, "a session")
        with self._change() as tx:
            version = tx.lock_record("session", session_id)
            session = tx.session(session_id)  # NotFound names the fix
            assert version is not None
            what = f"{session.case_ref}'s session {session_id}"
            self._check_version(tx, what, "session", session_id, version, expected_version)
            after: dict[str, Any] = {}
            if held_on is not None:
                self._check_event_date(tx.young_person(session.case_ref), held_on, "Session date")
                if session.offer_id is not None:
                    offer = tx.offer(session.offer_id)
                    if held_on < offer.offered_on:
                        raise InvalidInput(
                            f"The session date {held_on} is before offer {offer.id} was made "
                            f"({offer.offered_on})."
                        )
                after["held_on"] = held_on
            if reflection is not None:
                after["reflection"] = check_free_text(reflection, "The reflection").strip()
            if next_steps is not None:
                after["next_steps"] = check_free_text(next_steps, "The next steps").strip()
            if not after:
                raise InvalidInput("Give the corrected date, reflection or next steps.")
            diff = changed_fields({k: getattr(session, k) for k in after}, after)
            if not diff:
                raise nothing_changed(what)
            values = {name: new for name, _old, new in diff}
            if not tx.amend_record("session", session_id, values, version=version):
                raise self._conflict(tx, what, "session", session_id)
            detail = f"{session.case_ref}; {amendment_detail(why, diff)}"
            self._audit(tx, "amend", "session", session_id, detail)
            return tx.session(session_id)

    def sessions(self, case_ref: str) -> list[model.Session]:
        """A young person's direct-work sessions, oldest first."""
        with self._store.reading() as tx:
            return tx.sessions_for(case_ref)

    def session(self, session_id: int) -> model.Session:
        """One direct-work session with its entries."""
        with self._store.reading() as tx:
            return tx.session(session_id)

    def worksheet_prefill(self, case_ref: str, matrix_id: str | None) -> model.Session | None:
        """The session a worksheet for ``case_ref`` is prefilled from, or None to print it unfilled.

        ``matrix_id`` is the matrix the worksheet prints (``Worksheet.prefill_matrix_id``),
        or None for a worksheet that takes no session. The rule is
        :func:`snt_youth.protect.prefill.session_to_prefill`; every face asks here.
        """
        from snt_youth.protect.prefill import session_to_prefill

        if matrix_id is None:
            return None
        return session_to_prefill(self.sessions(case_ref), matrix_id)
