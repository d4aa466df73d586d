"""Retention: who is due to be weeded and why, weeding them, and erasure on request.

The rule (``[retention]`` in the service configuration): a young person's records are
kept for ``years_after_last_contact`` years after the later of their last contact and
their ``from_birthday`` birthday (18 by default). On that day they are due.

"Last contact" is the latest of: a screening's date, a support offer being made,
started or ended, a contact recorded on an offer (the day it was recorded), a
direct-work session, a case note's date, and the day the young person was added to
the caseload. Reading a record, printing it or correcting it is not contact.

Weeding and erasure are one code path (:meth:`RetentionCases._weed`): one transaction
per young person, in which their rows are deleted, the audit trail is scrubbed of
anything naming them, and one event without any identifier says what was done and
why. A long run that is stopped keeps every young person either whole or gone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from snt_youth.casebook.base import CasebookBase
from snt_youth.errors import InvalidInput, NotFound
from snt_youth.identifiers import names_young_person

if TYPE_CHECKING:
    from snt_youth.store.retention import ContactDates


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@attrs.frozen
class RetentionDecision:
    """One young person's place in the retention rule, as at one date."""

    case_ref: str
    last_contact: dt.date
    last_contact_kind: str
    birthday: dt.date  # the birthday the period counts from (18th by default)
    due_on: dt.date  # the first day the records are due to be weeded
    due: bool
    reason: str
    open_support: int


@attrs.frozen
class WeedResult:
    """What weeding one young person did (returned to the caller, never stored with them)."""

    case_ref: str
    rows: dict[str, int]
    audit_cleared: int


@attrs.frozen
class RetentionRun:
    """What ``apply_retention`` did."""

    as_at: dt.date
    weeded: tuple[WeedResult, ...]
    no_longer_due: tuple[str, ...]  # changed between the review and their turn


ProgressFn = Callable[[int], None]


class RetentionCases(CasebookBase):
    """Use cases about keeping records only as long as the service's policy says."""

    def retention_review(
        self, as_at: dt.date | None = None, *, due_only: bool = True
    ) -> list[RetentionDecision]:
        """Who is due to be weeded as at ``as_at`` (default today), with the reason.

        With ``due_only=False`` every young person is listed, with the day they fall due.
        """
        day = as_at or self.clock.today()
        with self._store.reading() as tx:
            found = tx.contact_dates()
        decisions = [self._decide(c, day) for c in found]
        return [d for d in decisions if d.due or not due_only]

    def _decide(self, contact: ContactDates, as_at: dt.date) -> RetentionDecision:
        policy = self.config.retention
        birthday = add_years(contact.date_of_birth, policy.from_birthday)
        later = max(contact.last_contact, birthday)
        due_on = add_years(later, policy.years_after_last_contact)
        due = as_at >= due_on
        years = policy.years_after_last_contact
        which = "last contact" if contact.last_contact >= birthday else "birthday"
        reason = (
            f"last contact {contact.last_contact} ({contact.last_contact_kind}); "
            f"birthday at {policy.from_birthday} {birthday}; kept {years} years after the "
            f"later ({which}), so due on {due_on}"
        )
        return RetentionDecision(
            case_ref=contact.case_ref,
            last_contact=contact.last_contact,
            last_contact_kind=contact.last_contact_kind,
            birthday=birthday,
            due_on=due_on,
            due=due,
            reason=reason,
            open_support=contact.open_support,
        )

    def apply_retention(
        self, as_at: dt.date, *, progress: ProgressFn | None = None
    ) -> RetentionRun:
        """Weed every young person due as at ``as_at``: one transaction each.

        Each young person is checked again inside their own transaction, so one whose
        record changed since the review (a new contact) is kept. ``progress`` is called
        with 1 after each young person. A run that is stopped part way leaves everyone
        either whole or fully weeded; running it again carries on.
        """
        policy = self.config.retention
        run = uuid.uuid4().hex[:8]
        why = (
            f"retention period over as at {as_at} ({policy.years_after_last_contact} years "
            f"after the later of last contact and birthday at {policy.from_birthday}); run {run}"
        )
        weeded: list[WeedResult] = []
        kept: list[str] = []
        for decision in self.retention_review(as_at):
            result = self._weed(decision.case_ref, "weed", why, recheck_as_at=as_at)
            if result is None:
                kept.append(decision.case_ref)
            else:
                weeded.append(result)
            if progress is not None:
                progress(1)
        self._forget_freed_pages()
        return RetentionRun(as_at, tuple(weeded), tuple(kept))

    def erase_young_person(self, case_ref: str, *, reason: str) -> WeedResult:
        """Erase a young person and every record attached, now, for ``reason``.

        The same as weeding one young person: the audit keeps one event saying a
        record was erased and why, with nothing that identifies them. The reason must
        not name them (no case reference, known-as or date of birth).
        """
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("Erasing a young person's records needs a reason.")
        person = self._person(case_ref)
        if names_young_person(reason, person.case_ref, person.known_as, person.date_of_birth):
            raise InvalidInput(
                "The reason must not name the young person (no case reference, known-as or "
                "date of birth): it stays in the audit after everything else is gone."
            )
        result = self._weed(person.case_ref, "erase", f"erased on request: {reason}")
        assert result is not None
        self._forget_freed_pages()
        return result

    def _weed(
        self, case_ref: str, action: str, why: str, *, recheck_as_at: dt.date | None = None
    ) -> WeedResult | None:
        """Delete one young person and everything attached, in one transaction.

        With ``recheck_as_at``, they are weeded only if still due on that date (checked
        inside the transaction, with their row locked); otherwise None.
        """
        with self._change() as tx:
            try:
                pid = tx.lock_for_weeding(case_ref)
            except NotFound:
                if recheck_as_at is not None:
                    return None  # gone already (another run, or erased meanwhile)
                raise
            if recheck_as_at is not None:
                (contact,) = tx.contact_dates([pid])
                if not self._decide(contact, recheck_as_at).due:
                    return None
            detail = f"a young person's records were {_PAST[action]}: {why}"
            self._audit(tx, action, "young_person", "", detail)
            event_id = tx.last_event_id(action, self.user, detail)
            stored_ref = tx.young_person(case_ref).case_ref
            done = tx.weed_young_person(pid, stored_ref, event_id)
        return WeedResult(stored_ref, done.rows, done.audit_scrubbed)

    def _forget_freed_pages(self) -> None:
        with self._store.reading() as tx:
            tx.forget_freed_pages()


_PAST = {"weed": "weeded", "erase": "erased"}


__all__ = [
    "RetentionCases",
    "RetentionDecision",
    "RetentionRun",
    "WeedResult",
    "add_years",
]
