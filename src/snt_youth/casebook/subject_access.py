"""Subject access: everything the service holds about one young person, in one record.

The copy holds the young person's details, every screening with each answer in words
(the officer's and the young person's wording of the question, and the answer's
label), every support offer, every direct-work session with its matrix entries, every
case note, and every audit event about them. Making it is a read of personal data, so
it is audited in the same transaction that reads it: who, when, and which young person.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from snt_youth import model, vocabulary
from snt_youth.casebook.base import CasebookBase
from snt_youth.errors import ContentError, InvalidInput, NotFound

if TYPE_CHECKING:
    from snt_youth.protect import Matrix
    from snt_youth.screening import Instrument

#: The version of the subject access copy's JSON layout.
SAR_FORMAT_VERSION = 1


@attrs.frozen
class AnswerInWords:
    """One stored answer with the question as both people read it."""

    item_id: str
    officer_question: str  # the officer's wording ("" if the instrument is not to hand)
    young_person_question: str  # the young person's wording
    code: str
    answer: str  # the answer's label, as both people read it
    answered_at: dt.datetime | None = None


@attrs.frozen
class ScreeningCopy:
    screening: model.Screening
    answers: tuple[AnswerInWords, ...]
    stage: str  # the stage in words
    findings: tuple[tuple[str, str], ...]  # (what, level) in words, for a completed screening


@attrs.frozen
class EntryInWords:
    person: str
    way: str  # the matrix column's label ("kept you safe")
    words: str


@attrs.frozen
class SessionCopy:
    session: model.Session
    matrix_title: str
    entries: tuple[EntryInWords, ...]


@attrs.frozen
class OfferCopy:
    offer: model.SupportOffer
    service_name: str


@attrs.frozen
class SubjectAccess:
    """Everything held about one young person, as at ``made_at``."""

    format_version: int
    made_at: dt.datetime
    made_by: str
    service: str
    person: model.YoungPerson
    screenings: tuple[ScreeningCopy, ...]
    offers: tuple[OfferCopy, ...]
    sessions: tuple[SessionCopy, ...]
    notes: tuple[model.CaseNote, ...]
    audit: tuple[model.AuditEvent, ...]


_OUTCOME_WORDS = (
    ("home", "Abuse at home"),
    ("relationship", "Your own relationship"),
    ("own_behaviour", "How you treat a partner"),
    ("safety", "Safety now"),
)


class SubjectAccessCases(CasebookBase):
    """Use cases about a young person's right to a copy of what is held about them."""

    def subject_access(self, case_ref: str, *, output: str = "") -> SubjectAccess:
        """Everything held about one young person; audited as a read of their data.

        ``output`` says where the copy goes (a file name or a format), for the audit.
        """
        with self._change() as tx:
            person = tx.young_person(case_ref)
            screenings = tx.screenings_for(person.case_ref)
            offers = tx.offers_for(person.case_ref)
            sessions = tx.sessions_for(person.case_ref)
            notes = tx.notes_for(person.case_ref)
            audit = tx.audit_events_about(person.case_ref)
            answered = {s.id: tx.answer_times(s.id) for s in screenings}
            made_at = self.clock.now()
            detail = "subject access copy" + (f" written to {output}" if output else "")
            self._audit(tx, "subject-access", "young_person", person.case_ref, detail)
        return SubjectAccess(
            format_version=SAR_FORMAT_VERSION,
            made_at=made_at,
            made_by=self.user,
            service=self.config.service.name,
            person=person,
            screenings=tuple(self._screening_copy(s, answered[s.id]) for s in screenings),
            offers=tuple(OfferCopy(o, self._service_name(o.service)) for o in offers),
            sessions=tuple(self._session_copy(s) for s in sessions),
            notes=tuple(notes),
            audit=tuple(audit),
        )

    def _service_name(self, service_id: str) -> str:
        try:
            return self.config.support_service(service_id).name
        except NotFound:  # a service since taken out of the configuration
            return service_id

    def _instrument_for_copy(self, screening: model.Screening) -> Instrument | None:
        from snt_youth.screening import instrument_for, load_instrument

        current = instrument_for(self.config)
        if (current.id, current.version) == (screening.instrument_id, screening.instrument_version):
            return current
        try:
            found = load_instrument(screening.instrument_id)
        except (ContentError, InvalidInput, NotFound, OSError):
            return None
        return found if found.version == screening.instrument_version else None

    def _screening_copy(
        self, screening: model.Screening, answered: dict[str, dt.datetime]
    ) -> ScreeningCopy:
        instrument = self._instrument_for_copy(screening)
        items = {i.id: i for i in instrument.items} if instrument else {}
        order = list(items)
        answers = []
        for item_id in sorted(
            screening.answers, key=lambda i: (order.index(i) if i in items else len(order), i)
        ):
            code = screening.answers[item_id]
            item = items.get(item_id)
            label = code
            if item is not None:
                label = next((r.label for r in item.responses if r.code == code), code)
            answers.append(
                AnswerInWords(
                    item_id=item_id,
                    officer_question=item.officer if item else "",
                    young_person_question=item.young_person if item else "",
                    code=code,
                    answer=label,
                    answered_at=answered.get(item_id),
                )
            )
        findings: tuple[tuple[str, str], ...] = ()
        if screening.outcome is not None:
            findings = tuple(
                (what, vocabulary.title(getattr(screening.outcome, name)))
                for name, what in _OUTCOME_WORDS
            )
        return ScreeningCopy(
            screening=screening,
            answers=tuple(answers),
            stage=vocabulary.title(screening.stage),
            findings=findings,
        )

    def _session_copy(self, session: model.Session) -> SessionCopy:
        from snt_youth.protect import load_matrix

        matrix: Matrix | None
        try:
            matrix = load_matrix(session.matrix_id)
        except (ContentError, InvalidInput, NotFound, OSError):
            matrix = None
        labels = {c.id: c.label for c in matrix.columns} if matrix else {}
        return SessionCopy(
            session=session,
            matrix_title=matrix.title if matrix else session.matrix_id,
            entries=tuple(
                EntryInWords(e.person, labels.get(e.domain, e.domain), e.words)
                for e in session.entries
            ),
        )


__all__ = [
    "SAR_FORMAT_VERSION",
    "AnswerInWords",
    "EntryInWords",
    "OfferCopy",
    "ScreeningCopy",
    "SessionCopy",
    "SubjectAccess",
    "SubjectAccessCases",
]
