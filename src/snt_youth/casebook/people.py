"""Young people: adding, changing, the caseload, the timeline, and case notes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from snt_youth import model, vocabulary
from snt_youth.casebook.base import CasebookBase, choose
from snt_youth.casebook.text import check_free_text
from snt_youth.casebook.views import CaseloadRow, Timeline, TimelineEvent
from snt_youth.errors import InvalidInput
from snt_youth.outside_text import FIRST_NAME, is_first_name

CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.\-]{0,63}$")
KNOWN_AS = FIRST_NAME  # the rule lives in outside_text, shared with matrix entries
MIN_AGE, MAX_AGE = 8, 25
_CONCERN = model.SafetyNow.CONCERN


class PeopleCases(CasebookBase):
    """Use cases about young people and their case notes."""

    def add_young_person(
        self,
        case_ref: str,
        date_of_birth: dt.date,
        team: str,
        *,
        gender: str | model.Gender = model.Gender.NOT_STATED,
        ethnicity: str | model.Ethnicity = model.Ethnicity.NOT_STATED,
        known_as: str | None = None,
        language: str | model.Language = model.Language.ENGLISH,
        officer: str | None = None,
    ) -> model.YoungPerson:
        """Add a young person to the caseload."""
        self._check_own_team(team)
        person = self._valid_person(
            case_ref=case_ref.strip(),
            date_of_birth=date_of_birth,
            team=team,
            gender=gender,
            ethnicity=ethnicity,
            known_as=known_as,
            language=language,
            officer=officer,
        )
        with self._change() as tx:
            if tx.has_young_person(person.case_ref):
                raise InvalidInput(
                    f"Case reference {person.case_ref!r} is already on the caseload; "
                    "each young person has one reference. Use 'young-person show' to see them."
                )
            tx.insert_young_person(person, self.clock.now())
            self._audit(tx, "add", "young_person", person.case_ref)
        return person

    def _valid_person(self, *, on: dt.date | None = None, **fields: Any) -> model.YoungPerson:
        """A young person from typed (or imported) fields, each checked by
        :meth:`_person_field`; ages are worked out on ``on`` (default today)."""
        day = on or self.clock.today()
        checked = {name: self._person_field(name, value, day) for name, value in fields.items()}
        return model.YoungPerson(**checked)

    def _person_field(self, name: str, value: Any, on: dt.date) -> Any:
        """One field of a young person, checked and tidied; InvalidInput says why not.

        The one rule for every way a young person comes in: typed, changed, imported.
        """
        if name == "case_ref":
            if not isinstance(value, str) or not CASE_REF.match(value):
                raise InvalidInput(
                    f"Case reference {value!r} is not valid: use the service's own reference "
                    "(letters, digits, / _ . -, up to 64 characters)."
                )
            return value
        if name == "known_as":
            known_as = value.strip() or None if isinstance(value, str) else value
            if known_as is not None and not (isinstance(known_as, str) and is_first_name(known_as)):
                raise InvalidInput(
                    f"Known-as {known_as!r} must be a first name or initials only (one word, "
                    "up to 20 letters); the full name stays in the case management system."
                )
            return known_as
        if name == "date_of_birth":
            return self._date_of_birth(value, on)
        if name == "team":
            return self.config.team(value).id
        if name == "gender":
            return choose(model.Gender, value, "Gender")
        if name == "ethnicity":
            return vocabulary.ethnicity(value)
        if name == "language":
            return choose(model.Language, value, "Language")
        if name == "officer":
            return value or None
        raise InvalidInput(f"A young person has no field {name!r}.")

    def _date_of_birth(self, dob: Any, on: dt.date) -> dt.date:
        if not isinstance(dob, dt.date):
            raise InvalidInput("Date of birth must be a date (YYYY-MM-DD).")
        if dob > self.clock.today() or dob > on:
            raise InvalidInput(f"Date of birth {dob} is in the future; check the date.")
        age = model.age_on(dob, on)
        if not MIN_AGE <= age <= MAX_AGE:
            raise InvalidInput(
                f"Date of birth {dob} gives an age of {age}; snt-youth is for young people "
                f"aged {MIN_AGE} to {MAX_AGE}. Check the date."
            )
        return dob

    def update_young_person(self, case_ref: str, **changes: Any) -> model.YoungPerson:
        """Change a young person's details (not the case reference).

        With ``expected_version=N`` among the changes (N from :meth:`record_version`),
        a change made by someone else since is refused with
        :class:`~snt_youth.errors.Conflict`.
        """
        expected_version = changes.pop("expected_version", None)
        if "team" in changes and not self.identity.may_move_teams:
            raise InvalidInput(
                "Only a manager or an admin can move a young person to another team."
            )
        allowed = {f.name for f in attrs.fields(model.YoungPerson)} - {"case_ref"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))}.")
        with self._change() as tx:
            current = tx.young_person(case_ref)
            case_ref = current.case_ref
            _, version = tx.lock_young_person(case_ref)
            current = tx.young_person(case_ref)  # as it is now that it is locked
            what = f"{case_ref}'s details"
            self._check_version(tx, what, "young_person", case_ref, version, expected_version)
            merged = {**attrs.asdict(current, recurse=False), **changes}
            person = self._valid_person(**merged)
            values = {k: getattr(person, k) for k in changes}
            if not tx.update_young_person(case_ref, values, version=version):
                raise self._conflict(tx, what, "young_person", case_ref)
            self._audit(tx, "update", "young_person", case_ref, ", ".join(sorted(changes)))
            if person.team != current.team:
                self._audit(
                    tx, "move", "young_person", case_ref, f"from {current.team} to {person.team}"
                )
        return person

    def move_young_person(
        self, case_ref: str, team: str, *, expected_version: int | None = None
    ) -> model.YoungPerson:
        """Move a young person to another team (a manager or an admin only), audited as
        ``move`` with both teams."""
        return self.update_young_person(case_ref, team=team, expected_version=expected_version)

    def _check_own_team(self, team: str) -> None:
        """Refuse, in one sentence, adding a young person to a team you cannot see."""
        me = self.identity
        if me.sees_all:
            return
        wanted = self.config.team(team).id
        if wanted not in me.teams:
            raise InvalidInput(
                f"You can add young people only to your own teams ({', '.join(me.teams)}); "
                f"ask a manager to add them to {wanted}."
            )

    def amend_young_person(
        self, case_ref: str, *, reason: str, expected_version: int | None = None, **changes: Any
    ) -> model.YoungPerson:
        """Correct a young person's details, with a reason (rectification).

        ``changes`` may be ``date_of_birth``, ``known_as``, ``gender``, ``ethnicity``,
        ``language`` and ``officer``; each is checked as when the young person was
        added. The audit event holds the reason and each changed field's old and new
        value. The case reference and the team are not changed here.
        """
        from snt_youth.casebook.rectification import (
            amendment_detail,
            amendment_reason,
            changed_fields,
            nothing_changed,
        )

        why = amendment_reason(reason, "a young person's details")
        allowed = {"date_of_birth", "known_as", "gender", "ethnicity", "language", "officer"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(
                f"{', '.join(sorted(unknown))} cannot be corrected here; correct any of: "
                f"{', '.join(sorted(allowed))}."
            )
        if not changes:
            raise InvalidInput("Give at least one detail to correct.")
        with self._change() as tx:
            case_ref = tx.young_person(case_ref).case_ref
            _, version = tx.lock_young_person(case_ref)
            current = tx.young_person(case_ref)  # as it is now that it is locked
            what = f"{case_ref}'s details"
            self._check_version(tx, what, "young_person", case_ref, version, expected_version)
            person = self._valid_person(**{**attrs.asdict(current, recurse=False), **changes})
            diff = changed_fields(
                {k: getattr(current, k) for k in changes}, {k: getattr(person, k) for k in changes}
            )
            if not diff:
                raise nothing_changed(what)
            values = {name: new for name, _old, new in diff}
            if not tx.update_young_person(case_ref, values, version=version):
                raise self._conflict(tx, what, "young_person", case_ref)
            self._audit(tx, "amend", "young_person", case_ref, amendment_detail(why, diff))
        return person

    def amend_note(
        self,
        note_id: int,
        *,
        reason: str,
        text: str | None = None,
        written_on: dt.date | None = None,
        expected_version: int | None = None,
    ) -> model.CaseNote:
        """Correct a case note's text or date, with a reason (the old text is kept in the audit)."""
        from snt_youth.casebook.rectification import (
            amendment_detail,
            amendment_reason,
            changed_fields,
            nothing_changed,
        )

        why = amendment_reason(reason, "a case note")
        with self._change() as tx:
            version = tx.lock_record("case_note", note_id)
            note = tx.note(note_id)  # NotFound names the fix
            assert version is not None
            what = f"{note.case_ref}'s case note {note_id}"
            self._check_version(tx, what, "case_note", note_id, version, expected_version)
            after: dict[str, Any] = {}
            if text is not None:
                if not text.strip():
                    raise InvalidInput("A case note cannot be empty.")
                after["text"] = check_free_text(text, "The case note").strip()
            if written_on is not None:
                self._check_event_date(tx.young_person(note.case_ref), written_on, "Note date")
                after["written_on"] = written_on
            if not after:
                raise InvalidInput("Give the corrected text or date of the note.")
            diff = changed_fields({k: getattr(note, k) for k in after}, after)
            if not diff:
                raise nothing_changed(what)
            values = {name: new for name, _old, new in diff}
            if not tx.amend_record("case_note", note_id, values, version=version):
                raise self._conflict(tx, what, "case_note", note_id)
            detail = f"{note.case_ref}; {amendment_detail(why, diff)}"
            self._audit(tx, "amend", "case_note", note_id, detail)
            return tx.note(note_id)

    def young_person(self, case_ref: str) -> model.YoungPerson:
        """One young person by case reference (NotFound names the fix)."""
        with self._store.reading() as tx:
            return tx.young_person(case_ref)

    def young_people(
        self, *, team: str | None = None, search: str | None = None, limit: int | None = None
    ) -> list[model.YoungPerson]:
        """Young people by case reference, optionally one team's or matching ``search``."""
        if team:
            team = self.config.team(team).id
        with self._store.reading() as tx:
            return tx.young_people(team=team, search=search, limit=limit)

    def caseload(self, *, team: str | None = None, search: str | None = None) -> list[CaseloadRow]:
        """The caseload table: each young person with age, last screening and open support.

        ``search`` keeps only those whose case reference or known-as contains it (any case).
        """
        if team:
            team = self.config.team(team).id
        on = self.clock.today()
        with self._store.reading() as tx:
            rows = tx.caseload(team=team, search=(search or "").strip() or None)
        return [
            CaseloadRow(
                case_ref=r.case_ref,
                known_as=r.known_as or "",
                age=model.age_on(r.date_of_birth, on),
                team=r.team,
                officer=r.officer or "",
                last_stage=r.last_stage.value if r.last_stage else "",
                last_screened_on=r.last_screened_on,
                last_outcome=_summary(r.last_stage, r.last_safety, r.last_need),
                open_support=r.open_support,
                drafts=r.drafts,
            )
            for r in rows
        ]

    def timeline(self, case_ref: str) -> Timeline:
        """A young person with their screenings, support, sessions and notes, by date."""
        with self._store.reading() as tx:
            person = tx.young_person(case_ref)
            screenings = tx.screenings_for(case_ref)
            offers = tx.offers_for(case_ref)
            sessions = tx.sessions_for(case_ref)
            notes = tx.notes_for(case_ref)
        events: list[TimelineEvent] = []
        for s in screenings:
            if s.outcome is None:
                text = f"{s.stage.value} screening, draft ({len(s.answers)} answers)"
            else:
                o = s.outcome
                text = (
                    f"{s.stage.value} screening: home {o.home.value}; relationship "
                    f"{o.relationship.value}; safety now {o.safety.value}"
                )
            events.append(TimelineEvent(s.screened_on, "screening", text, s.id))
        for f in offers:
            text = f"{f.kind.value} support offered: {f.service} ({f.response.value}"
            text += f", {f.sessions + f.contacts} attended" if f.attended else ""
            text += f", ended: {f.end_reason.value})" if f.end_reason else ")"
            events.append(TimelineEvent(f.offered_on, "support", text, f.id))
        for d in sessions:
            found = "yes" if d.protective_adult_identified else "no"
            text = f"direct work ({d.matrix_id}): protective adult identified: {found}"
            events.append(TimelineEvent(d.held_on, "session", text, d.id))
        for n in notes:
            first = n.text.splitlines()[0]
            events.append(TimelineEvent(n.written_on, "note", first[:70], n.id))
        events.sort(key=lambda e: (e.on, e.kind, e.ref_id))
        return Timeline(person, person.age_on(self.clock.today()), tuple(events))

    def add_note(
        self, case_ref: str, text: str, *, written_on: dt.date | None = None
    ) -> model.CaseNote:
        """Write a case note. Check its wording first with :mod:`snt_youth.language`."""
        if not text.strip():
            raise InvalidInput("A case note cannot be empty.")
        text = check_free_text(text, "The case note")
        on = self._event_date(case_ref, written_on, "Note date")
        case_ref = self._person(case_ref).case_ref  # as stored, whatever case it was typed in
        with self._change() as tx:
            note = model.CaseNote(0, case_ref, on, self.user, text.strip())
            note_id = tx.insert_note(note)
            self._audit(tx, "add", "case_note", note_id, case_ref)
        return attrs.evolve(note, id=note_id)

    def notes(self, case_ref: str) -> list[model.CaseNote]:
        """A young person's case notes, oldest first."""
        with self._store.reading() as tx:
            return tx.notes_for(case_ref)


def _summary(
    stage: model.Stage | str | None, safety: model.SafetyNow | str | None, need: bool | None
) -> str:
    if stage is None:
        return "not screened"
    if safety == _CONCERN:
        return "safety concern"
    return "need identified" if need else "no need identified"
