"""The Casebook: the application service every face drives.

One method per use case, one transaction per method, and an audit event written in
the same transaction as every change. Faces (CLI, TUI, printing) hold no domain
rule: if a face needs to compute something, it asks the Casebook.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from snt_youth import config as config_module
from snt_youth import locations, model, vocabulary
from snt_youth.config import SafeguardingRoute, SupportService
from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    from snt_youth.screening import Instrument, Item, OutcomeChange
    from snt_youth.store import Store, Tx
    from snt_youth.tracking.quarters import Quarter
    from snt_youth.tracking.report import QuarterlyReport

E = TypeVar("E", bound=StrEnum)

CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.\-]{0,63}$")
KNOWN_AS = re.compile(r"^[^\W\d_][\w.'\-]{0,19}$")
MIN_AGE, MAX_AGE = 8, 25


def choose(enum: type[E], value: str | E, what: str) -> E:
    """An enum member from its value or name, case-insensitively, or a clear error."""
    if isinstance(value, enum):
        return value
    wanted = str(value).strip().lower().replace("_", " ")
    for member in enum:
        if wanted in (member.value.lower(), member.name.lower().replace("_", " ")):
            return member
    allowed = ", ".join(repr(m.value) for m in enum)
    raise InvalidInput(f"{what} {value!r} is not one of {allowed}.")


def today() -> dt.date:
    return dt.date.today()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "unknown"


class Casebook:
    """The service's records, opened on one database, acting as one user."""

    def __init__(self, store: Store, *, user: str, config: config_module.ServiceConfig) -> None:
        self._store = store
        self.user = user
        self.config = config

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        user: str | None = None,
        create: bool = True,
        config_path: str | None = None,
    ) -> Casebook:
        """Open the database at ``url`` (default ``SNT_YOUTH_DB`` or the SQLite file)."""
        import os

        from snt_youth.store import Store

        cfg = config_module.load(config_path)
        who = (user or os.environ.get(locations.USER_ENV) or default_user()).strip()
        if not who:
            raise InvalidInput("The user name cannot be empty; give --user NAME.")
        return cls(Store(url or locations.default_db_url(), create=create), user=who, config=cfg)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Casebook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def database(self) -> str:
        """Where the records live (password hidden)."""
        return self._store.description

    @property
    def schema_revision(self) -> str:
        return self._store.revision

    @contextmanager
    def _change(self) -> Iterator[Tx]:
        with self._store.transaction() as tx:
            yield tx

    def _audit(
        self, tx: Tx, action: str, record_type: str, record_id: object, detail: str = ""
    ) -> None:
        tx.audit(
            at=now(),
            user=self.user,
            action=action,
            record_type=record_type,
            record_id=record_id,
            detail=detail,
        )

    # -- young people --------------------------------------------------------------
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
            tx.insert_young_person(person, now())
            self._audit(tx, "add", "young_person", person.case_ref)
        return person

    def _valid_person(self, **fields: Any) -> model.YoungPerson:
        case_ref = fields["case_ref"]
        if not CASE_REF.match(case_ref):
            raise InvalidInput(
                f"Case reference {case_ref!r} is not valid: use the service's own reference "
                "(letters, digits, / _ . -, up to 64 characters)."
            )
        known_as = fields["known_as"]
        if known_as is not None:
            known_as = known_as.strip() or None
        if known_as is not None and not KNOWN_AS.match(known_as):
            raise InvalidInput(
                f"Known-as {known_as!r} must be a first name or initials only (one word, up "
                "to 20 letters); the full name stays in the case management system."
            )
        dob = fields["date_of_birth"]
        if not isinstance(dob, dt.date):
            raise InvalidInput("Date of birth must be a date (YYYY-MM-DD).")
        if dob > today():
            raise InvalidInput(f"Date of birth {dob} is in the future; check the date.")
        age = model.age_on(dob, today())
        if not MIN_AGE <= age <= MAX_AGE:
            raise InvalidInput(
                f"Date of birth {dob} gives an age of {age}; snt-youth is for young people "
                f"aged {MIN_AGE} to {MAX_AGE}. Check the date."
            )
        team = self.config.team(fields["team"]).id
        return model.YoungPerson(
            case_ref=case_ref,
            date_of_birth=dob,
            team=team,
            gender=choose(model.Gender, fields["gender"], "Gender"),
            ethnicity=vocabulary.ethnicity(fields["ethnicity"]),
            known_as=known_as,
            language=choose(model.Language, fields["language"], "Language"),
            officer=(fields["officer"] or None),
        )

    def update_young_person(self, case_ref: str, **changes: Any) -> model.YoungPerson:
        """Change a young person's details (not the case reference)."""
        allowed = {f.name for f in attrs.fields(model.YoungPerson)} - {"case_ref"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))}.")
        with self._change() as tx:
            current = tx.young_person(case_ref)
            merged = {**attrs.asdict(current, recurse=False), **changes}
            person = self._valid_person(**merged)
            tx.update_young_person(case_ref, {k: getattr(person, k) for k in changes})
            self._audit(tx, "update", "young_person", case_ref, ", ".join(sorted(changes)))
        return person

    def young_person(self, case_ref: str) -> model.YoungPerson:
        with self._store.reading() as tx:
            return tx.young_person(case_ref)

    def young_people(
        self, *, team: str | None = None, search: str | None = None, limit: int | None = None
    ) -> list[model.YoungPerson]:
        if team:
            self.config.team(team)
        with self._store.reading() as tx:
            return tx.young_people(team=team, search=search, limit=limit)

    def caseload(self, *, team: str | None = None, search: str | None = None) -> list[CaseloadRow]:
        """The caseload table: each young person with age, last screening and open support.

        ``search`` keeps only those whose case reference or known-as contains it (any case).
        """
        if team:
            self.config.team(team)
        on = today()
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
        return Timeline(person, person.age_on(today()), tuple(events))

    def screenings(self, case_ref: str) -> list[model.Screening]:
        with self._store.reading() as tx:
            return tx.screenings_for(case_ref)

    def screening(self, screening_id: int) -> model.Screening:
        with self._store.reading() as tx:
            return tx.screening(screening_id)

    def drafts(self) -> list[model.Screening]:
        """Screenings started but not completed (offered on restart)."""
        with self._store.reading() as tx:
            return tx.drafts()

    def sessions(self, case_ref: str) -> list[model.Session]:
        with self._store.reading() as tx:
            return tx.sessions_for(case_ref)

    def session(self, session_id: int) -> model.Session:
        with self._store.reading() as tx:
            return tx.session(session_id)

    def is_empty(self) -> bool:
        with self._store.reading() as tx:
            return tx.is_empty()

    def counts(self) -> dict[str, int]:
        with self._store.reading() as tx:
            return tx.counts()

    # -- screening --------------------------------------------------------------------
    def instrument(self) -> Instrument:
        """The screening instrument the service configuration names."""
        from snt_youth.screening import instrument_for

        return instrument_for(self.config)

    def _instrument_of(self, screening: model.Screening) -> Instrument:
        instrument = self.instrument()
        if (instrument.id, instrument.version) != (
            screening.instrument_id,
            screening.instrument_version,
        ):
            raise InvalidInput(
                f"Screening {screening.id} used instrument {screening.instrument_id} "
                f"{screening.instrument_version}, but the service now uses {instrument.id} "
                f"{instrument.version}. Finish it with the matching configuration."
            )
        return instrument

    def start_screening(
        self,
        case_ref: str,
        stage: str | model.Stage,
        *,
        screened_on: dt.date | None = None,
    ) -> model.Screening:
        """Start a draft screening. Answers are stored one at a time as they are given."""
        chosen = choose(model.Stage, stage, "Stage")
        on = self._event_date(case_ref, screened_on, "Screening date")
        instrument = self.instrument()
        with self._change() as tx:
            for existing in tx.screenings_for(case_ref):
                if existing.stage is chosen and existing.status is model.ScreeningStatus.DRAFT:
                    raise InvalidInput(
                        f"{case_ref} already has a {chosen.value} screening in progress "
                        f"(id {existing.id}). Resume it instead of starting another."
                    )
            draft = model.Screening(
                id=0,
                case_ref=case_ref,
                stage=chosen,
                screened_on=on,
                officer=self.user,
                instrument_id=instrument.id,
                instrument_version=instrument.version,
            )
            new_id = tx.insert_screening(draft)
            self._audit(tx, "start", "screening", new_id, f"{case_ref} {chosen.value}")
        return attrs.evolve(draft, id=new_id)

    def draft_for(self, case_ref: str, stage: str | model.Stage) -> model.Screening | None:
        """The screening in progress for this young person and stage, if any."""
        chosen = choose(model.Stage, stage, "Stage")
        for s in self.screenings(case_ref):
            if s.stage is chosen and s.status is model.ScreeningStatus.DRAFT:
                return s
        return None

    def answer(self, screening_id: int, item_id: str, response: str) -> model.Screening:
        """Store one answer at once (a code such as "yes", or its key such as "y")."""
        from snt_youth.screening import check_answer

        with self._change() as tx:
            screening = tx.screening(screening_id)
            self._require_draft(screening)
            instrument = self._instrument_of(screening)
            code = check_answer(instrument, screening.answers, item_id, response)
            tx.set_answer(screening_id, item_id, code, now())
            self._audit(tx, "answer", "screening", screening_id, item_id)
            return tx.screening(screening_id)

    def clear_answer(self, screening_id: int, item_id: str) -> model.Screening:
        """Take an answer back (the officer went back and the young person changed it)."""
        with self._change() as tx:
            screening = tx.screening(screening_id)
            self._require_draft(screening)
            self._instrument_of(screening).item(item_id)
            tx.clear_answer(screening_id, item_id)
            self._audit(tx, "clear-answer", "screening", screening_id, item_id)
            return tx.screening(screening_id)

    def next_question(
        self, screening_id: int, *, after: str | None = None, skipped: Collection[str] = ()
    ) -> Item | None:
        """The question to ask next in a screening, or None when every one that applies
        has an answer. ``after`` is the question just shown; ``skipped`` come back last."""
        from snt_youth.screening.flow import next_question

        screening = self.screening(screening_id)
        return next_question(
            self._instrument_of(screening), screening.answers, after=after, skipped=skipped
        )

    def raisable_levels(self, screening_id: int) -> dict[str, tuple[str, ...]]:
        """For each outcome, the levels professional judgement may raise it to.

        These are the levels above the current one, after any levels already raised on
        the screening; an outcome at its highest level has none.
        """
        current = self.assess(screening_id).outcome
        return {
            term.name: vocabulary.raisable_levels(term.name, getattr(current, term.name))
            for term in vocabulary.OUTCOMES
        }

    def assess(
        self,
        screening_id: int,
        judgements: Sequence[model.Judgement] = (),
    ) -> Assessment:
        """What the answers give: outcome, escalation, suggested support. Changes nothing.

        Levels already raised on the screening are applied too, so the result matches
        what is (or will be) stored; ``judgements`` are further levels to try.
        """
        screening = self.screening(screening_id)
        return self._judged(screening, self._instrument_of(screening), judgements)

    def _judged(
        self,
        screening: model.Screening,
        instrument: Instrument,
        judgements: Sequence[model.Judgement],
    ) -> Assessment:
        """Assess with the screening's recorded judgements plus new ones.

        A recorded judgement that the answers have since overtaken has no effect; a new
        judgement that would lower a level is refused.
        """
        from snt_youth.screening import check_judgement

        new = [j for j in judgements if j not in screening.judgements]
        result = self._assess(screening, instrument, [*screening.judgements, *new], strict=False)
        for judgement in new:
            check_judgement(result.scored, judgement)
        return result

    def raise_level(self, screening_id: int, judgement: model.Judgement) -> Assessment:
        """Raise an outcome level on a draft with the officer's reason, stored at once."""
        with self._change() as tx:
            screening = tx.screening(screening_id)
            self._require_draft(screening)
            result = self._judged(screening, self._instrument_of(screening), [judgement])
            tx.write_judgements(screening_id, result.judgements)
            self._audit(
                tx,
                "raise",
                "screening",
                screening_id,
                f"{judgement.outcome} to {judgement.level}: {judgement.reason}",
            )
            return attrs.evolve(result, screening=tx.screening(screening_id))

    def _assess(
        self,
        screening: model.Screening,
        instrument: Instrument,
        judgements: Sequence[model.Judgement],
        *,
        strict: bool = True,
    ) -> Assessment:
        from snt_youth import screening as sc

        person = self.young_person(screening.case_ref)
        scored = sc.score(instrument, screening.answers)
        outcome = sc.apply_judgements(scored, judgements, strict=strict)
        found = sc.triggers(instrument, screening.answers, outcome)
        age = person.age_on(screening.screened_on)
        return Assessment(
            screening=screening,
            scored=scored,
            outcome=outcome,
            judgements=tuple(judgements),
            triggers=tuple(sorted(found)),
            routes=tuple(sc.escalation(self.config, age, found)),
            needs_action=sc.needs_safety_action(found),
            suggestions=tuple(sc.suggested_support(self.config, outcome)),
            champions=self.config.team(person.team).champions,
            missing=tuple(sc.missing_required(instrument, screening.answers)),
            age=age,
        )

    def complete_screening(
        self,
        screening_id: int,
        *,
        action: str | None = None,
        judgements: Sequence[model.Judgement] = (),
    ) -> Assessment:
        """Complete a draft: store the outcome in columns, with the instrument and version.

        Refused while required items are unanswered (they are listed), and, when a
        safety concern is raised, until ``action`` (what was done, or why not) is given.
        """
        with self._change() as tx:
            screening = tx.screening(screening_id)
            self._require_draft(screening)
            result = self._judged(screening, self._instrument_of(screening), judgements)
            self._store_outcome(tx, result, action=action, completed_at=now(), check_missing=True)
            detail = _outcome_detail(result.outcome)
            self._audit(tx, "complete", "screening", screening_id, detail)
            for j in result.judgements[len(screening.judgements) :]:  # new ones only
                self._audit(
                    tx, "raise", "screening", screening_id, f"{j.outcome} to {j.level}: {j.reason}"
                )
            done = tx.screening(screening_id)
        return attrs.evolve(result, screening=done)

    def amend_screening(
        self,
        screening_id: int,
        *,
        reason: str,
        answers: Mapping[str, str] | None = None,
        judgements: Sequence[model.Judgement] = (),
        action: str | None = None,
    ) -> Assessment:
        """Change a completed screening's answers or raise a level, with a reason (audited)."""
        from snt_youth.screening import check_answer

        if not reason.strip():
            raise InvalidInput("Amending a completed screening needs a reason.")
        with self._change() as tx:
            screening = tx.screening(screening_id)
            if screening.status is not model.ScreeningStatus.COMPLETE:
                raise InvalidInput(
                    f"Screening {screening_id} is still a draft: change its answers directly."
                )
            instrument = self._instrument_of(screening)
            merged = dict(screening.answers)
            for item_id, response in (answers or {}).items():
                merged[item_id] = check_answer(instrument, merged, item_id, response)
                tx.set_answer(screening_id, item_id, merged[item_id], now())
            changed = attrs.evolve(screening, answers=merged)
            result = self._judged(changed, instrument, judgements)
            self._store_outcome(
                tx,
                result,
                action=(action or "").strip() or screening.safety_action,
                completed_at=screening.completed_at,
                check_missing=False,
            )
            previous = screening.outcome
            before = _outcome_detail(previous) if previous else "none"
            self._audit(
                tx,
                "amend",
                "screening",
                screening_id,
                f"reason: {reason.strip()}; changed: {', '.join(sorted(answers or {})) or '-'}; "
                f"before: {before}; after: {_outcome_detail(result.outcome)}",
            )
            done = tx.screening(screening_id)
        return attrs.evolve(result, screening=done)

    def record_screening(
        self,
        case_ref: str,
        stage: str | model.Stage,
        answers: Mapping[str, str],
        *,
        screened_on: dt.date | None = None,
        action: str | None = None,
        judgements: Sequence[model.Judgement] = (),
    ) -> Assessment:
        """Enter a whole paper screening at once. All or nothing."""
        from snt_youth import screening as sc

        chosen = choose(model.Stage, stage, "Stage")
        on = self._event_date(case_ref, screened_on, "Screening date")
        instrument = self.instrument()
        checked: dict[str, str] = {}
        for item in instrument.items:  # in instrument order, so conditions see earlier answers
            if item.id in answers:
                checked[item.id] = sc.check_answer(instrument, checked, item.id, answers[item.id])
        unknown = sorted(set(answers) - {i.id for i in instrument.items})
        if unknown:
            raise InvalidInput(
                f"Unknown question id(s) {', '.join(unknown)} for {instrument.id} "
                f"{instrument.version}. See 'snt-youth screening instrument'."
            )
        with self._change() as tx:
            draft = model.Screening(
                id=0,
                case_ref=case_ref,
                stage=chosen,
                screened_on=on,
                officer=self.user,
                instrument_id=instrument.id,
                instrument_version=instrument.version,
                answers=checked,
            )
            new_id = tx.insert_screening(draft)
            at = now()
            for item_id, code in checked.items():
                tx.set_answer(new_id, item_id, code, at)
            draft = attrs.evolve(draft, id=new_id)
            result = self._assess(draft, instrument, judgements)
            self._store_outcome(tx, result, action=action, completed_at=at, check_missing=True)
            self._audit(
                tx, "record", "screening", new_id, f"{case_ref} {chosen.value} (paper form)"
            )
            done = tx.screening(new_id)
        return attrs.evolve(result, screening=done)

    def compare_screenings(self, case_ref: str) -> Comparison:
        """The latest completed pre-court and post-court screenings, side by side."""
        from snt_youth.screening import compare

        latest: dict[model.Stage, model.Screening] = {}
        for s in self.screenings(case_ref):
            if s.status is model.ScreeningStatus.COMPLETE:
                latest[s.stage] = s
        pre = latest.get(model.Stage.PRE_COURT)
        post = latest.get(model.Stage.POST_COURT)
        changes = compare(pre.outcome if pre else None, post.outcome if post else None)
        return Comparison(case_ref, pre, post, tuple(changes))

    def _store_outcome(
        self,
        tx: Tx,
        result: Assessment,
        *,
        action: str | None,
        completed_at: dt.datetime | None,
        check_missing: bool,
    ) -> None:
        """Refuse an incomplete screening or an unanswered safety concern, else store it."""
        if check_missing and result.missing:
            raise InvalidInput(
                f"Screening {result.screening.id} cannot be completed yet: these questions have "
                f"no answer: {', '.join(result.missing)}. Record 'not sure' or 'prefer not to "
                "say' where the young person did not answer."
            )
        action = (action or "").strip() or None
        if result.needs_action and not action:
            routes = "; ".join(r.title for r in result.routes) or "your safeguarding procedure"
            raise InvalidInput(
                "There is a safety concern. Record the action you took, or your reason for "
                f"not acting, before completing (consider: {routes})."
            )
        tx.write_outcome(
            result.screening.id,
            outcome=result.outcome,
            judgements=result.judgements,
            safety_action=action,
            status=model.ScreeningStatus.COMPLETE,
            completed_at=completed_at,
        )

    def _require_draft(self, screening: model.Screening) -> None:
        if screening.status is not model.ScreeningStatus.DRAFT:
            raise InvalidInput(
                f"Screening {screening.id} is already complete. To change it, amend it "
                "with a reason ('snt-youth screening amend')."
            )

    # -- direct work --------------------------------------------------------------------
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
        on = self._event_date(case_ref, held_on, "Session date")
        derived = protective_adult_identified(matrix, checked)
        identified = derived if confirmed is None else (derived and confirmed)
        with self._change() as tx:
            if offer_id is not None:
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
                    tx.update_offer(offer_id, changes)
                    self._audit(tx, "update", "support_offer", offer_id, "started by a session")
            found = "yes" if identified else "no"
            detail = f"{case_ref} {matrix.id}; protective adult identified: {found}"
            if confirmed is False and derived:
                detail += " (facilitator judged no protective adult from the entries)"
            self._audit(tx, "record", "session", new_id, detail)
        return attrs.evolve(session, id=new_id)

    # -- case notes -------------------------------------------------------------------
    def add_note(
        self, case_ref: str, text: str, *, written_on: dt.date | None = None
    ) -> model.CaseNote:
        """Write a case note. Check its wording first with :mod:`snt_youth.language`."""
        if not text.strip():
            raise InvalidInput("A case note cannot be empty.")
        on = self._event_date(case_ref, written_on, "Note date")
        with self._change() as tx:
            note = model.CaseNote(0, case_ref, on, self.user, text.strip())
            note_id = tx.insert_note(note)
            self._audit(tx, "add", "case_note", note_id, case_ref)
        return attrs.evolve(note, id=note_id)

    def notes(self, case_ref: str) -> list[model.CaseNote]:
        with self._store.reading() as tx:
            return tx.notes_for(case_ref)

    # -- support offers -----------------------------------------------------------------
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
    ) -> model.SupportOffer:
        """Record the young person's response, start, end, or contacts for an offer."""
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
            )

    def accept_offer(self, offer_id: int) -> model.SupportOffer:
        """The young person accepted the offer."""
        with self._change() as tx:
            return self._change_offer(tx, offer_id, "accept", response=model.OfferResponse.ACCEPTED)

    def decline_offer(self, offer_id: int) -> model.SupportOffer:
        """The young person declined the offer (refused once support has started)."""
        with self._change() as tx:
            return self._change_offer(
                tx, offer_id, "decline", response=model.OfferResponse.DECLINED
            )

    def record_contact(self, offer_id: int, *, count: int = 1) -> model.SupportOffer:
        """``count`` contacts with the service took place (external support)."""
        if count < 1:
            raise InvalidInput("Record at least one contact.")
        with self._change() as tx:
            return self._change_offer(tx, offer_id, "contact", add_contacts=count)

    def start_support(self, offer_id: int, *, on: dt.date | None = None) -> model.SupportOffer:
        """The support started on ``on`` (default today)."""
        with self._change() as tx:
            return self._change_offer(tx, offer_id, "start", started_on=on or today())

    def end_support(
        self, offer_id: int, reason: str | model.EndReason, *, on: dt.date | None = None
    ) -> model.SupportOffer:
        """The support ended on ``on`` (default today) for ``reason`` (completed, ...)."""
        with self._change() as tx:
            return self._change_offer(tx, offer_id, "end", ended_on=on, end_reason=reason)

    def offers_open_for_session(
        self, case_ref: str, on: dt.date | None = None
    ) -> list[model.SupportOffer]:
        """The offers a direct-work session held on ``on`` (default today) may count for.

        They are the young person's offers that were not declined, have not ended, and
        were made on or before the session date.
        """
        day = on or today()
        return [o for o in self.offers(case_ref) if _session_may_count_for(o, day)]

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
    ) -> model.SupportOffer:
        """Check and store a change to an offer, audited as ``action``."""
        offer = tx.offer(offer_id)
        person = tx.young_person(offer.case_ref)
        values: dict[str, Any] = {}
        if response is not None:
            values["response"] = choose(model.OfferResponse, response, "Response")
        for name, day in (("started_on", started_on), ("ended_on", ended_on)):
            if day is not None:
                _check_event_date(person, day, name.replace("_", " "))
                if day < offer.offered_on:
                    raise InvalidInput(
                        f"{name.replace('_', ' ').capitalize()} {day} is before the offer "
                        f"was made ({offer.offered_on})."
                    )
                values[name] = day
        if end_reason is not None:
            values["end_reason"] = choose(model.EndReason, end_reason, "End reason")
            values.setdefault("ended_on", offer.ended_on or today())
        if add_contacts:
            if add_contacts < 0:
                raise InvalidInput("Contacts can only be added (a positive number).")
            values["contacts"] = offer.contacts + add_contacts
        merged = attrs.evolve(offer, **values)
        if merged.response is model.OfferResponse.DECLINED and (
            merged.started_on or merged.contacts
        ):
            raise InvalidInput(
                "An offer the young person declined cannot have started or have contacts; "
                "record the response as accepted first."
            )
        if merged.started_on and merged.ended_on and merged.ended_on < merged.started_on:
            raise InvalidInput("The end date is before the start date.")
        if merged.ended_on and merged.end_reason is None:
            raise InvalidInput(
                "Give the end reason (completed, disengaged, moved away, other) with the end date."
            )
        if not values:
            raise InvalidInput("Nothing to change: give a response, dates or contacts.")
        tx.update_offer(offer_id, values)
        self._audit(tx, action, "support_offer", offer_id, ", ".join(sorted(values)))
        return tx.offer(offer_id)

    def offer(self, offer_id: int) -> model.SupportOffer:
        with self._store.reading() as tx:
            return tx.offer(offer_id)

    def offers(self, case_ref: str) -> list[model.SupportOffer]:
        with self._store.reading() as tx:
            return tx.offers_for(case_ref)

    # -- quarterly figures --------------------------------------------------------------
    def quarterly_report(
        self,
        quarter: str | Quarter | None = None,
        *,
        calendar: bool = False,
        team: str | None = None,
        unsuppressed: bool = False,
        report_date: dt.date | None = None,
    ) -> QuarterlyReport:
        """The quarterly access figures, with disclosure control applied.

        ``quarter`` is a Quarter or its text (e.g. "2026-27 Q1"; with ``calendar`` "2026
        Q2"); the default is the last complete quarter. Figures are counted as at
        ``report_date`` (default today). ``unsuppressed`` is for internal use: it is
        audited and every output is marked OFFICIAL-SENSITIVE: not for publication.
        """
        from snt_youth.tracking import quarters as q
        from snt_youth.tracking.disclosure import DisclosureSettings
        from snt_youth.tracking.report import build_report

        as_at = report_date or today()
        if as_at > today():
            raise InvalidInput(f"The report date {as_at} is in the future.")
        if quarter is None:
            chosen = q.Quarter.last_complete(as_at, calendar)
        elif isinstance(quarter, q.Quarter):
            chosen = quarter
        else:
            chosen = q.Quarter.parse(quarter, calendar)
        if chosen.start > as_at:
            raise InvalidInput(
                f"{chosen} has not started by {as_at}; choose a quarter that has begun."
            )
        if team:
            self.config.team(team)  # an unknown team is a clear error
        settings = DisclosureSettings.from_config(self.config.disclosure, applied=not unsuppressed)
        with self._store.reading() as tx:
            counts = tx.report_counts(chosen, as_at, team=team, trend_quarters=4)
        report = build_report(
            counts,
            quarter=chosen,
            report_date=as_at,
            disclosure=settings,
            teams=[(t.id, t.name) for t in self.config.teams],
            team=team,
            service_name=self.config.service.name,
        )
        if unsuppressed:
            self.record_event(
                "unsuppressed-report",
                "report",
                str(chosen),
                f"team={team or 'all'}; OFFICIAL-SENSITIVE: not for publication",
            )
        return report

    def quarters_with_data(self, *, calendar: bool = False) -> list[Quarter]:
        """Quarters with at least one completed screening or support offer, oldest first."""
        with self._store.reading() as tx:
            return tx.quarters_with_data(calendar=calendar)

    # -- audit ---------------------------------------------------------------------------
    def audit_trail(self, since: dt.datetime | None = None) -> list[model.AuditEvent]:
        with self._store.reading() as tx:
            return tx.audit_events(since)

    def record_event(self, action: str, record_type: str, record_id: object, detail: str) -> None:
        """Audit a read that matters (an unsuppressed report, a full export)."""
        with self._change() as tx:
            self._audit(tx, action, record_type, record_id, detail)

    # -- backup -------------------------------------------------------------------------
    def export_backup(self) -> dict[str, Any]:
        """Every record, as a versioned backup document (see :mod:`snt_youth.backup`)."""
        from snt_youth import backup

        with self._store.reading() as tx:
            tables = tx.dump_portable()
        data = backup.envelope(
            tables,
            schema_revision=self.schema_revision,
            at=now().isoformat(),
            by=self.user,
        )
        # Audited after the dump, so a backup never contains its own export event.
        self.record_event("export", "database", "*", f"{len(tables['young_people'])} young people")
        return data

    def import_backup(self, data: dict[str, Any], *, source: str = "backup") -> dict[str, int]:
        """Restore a backup into this empty database, all or nothing."""
        from snt_youth import backup

        tables = backup.check(data, source)
        with self._change() as tx:
            if not tx.is_empty():
                raise InvalidInput(
                    "This database already has young people in it. Import restores into an "
                    "empty database: use a new --db, or 'snt-youth init' on a new file."
                )
            tx.load_portable(tables, source)
            self._audit(tx, "import", "database", "*", f"from {source}")
            counts = tx.counts()
        return counts

    # -- helpers --------------------------------------------------------------------------
    def _event_date(self, case_ref: str, on: dt.date | None, what: str) -> dt.date:
        on = on or today()
        with self._store.reading() as tx:
            person = tx.young_person(case_ref)
        _check_event_date(person, on, what)
        return on


def _session_may_count_for(offer: model.SupportOffer, held_on: dt.date) -> bool:
    """Whether a session on ``held_on`` may count as attendance for ``offer``."""
    return offer.open and offer.offered_on <= held_on


def _check_event_date(person: model.YoungPerson, on: dt.date, what: str) -> None:
    if on > today():
        raise InvalidInput(f"{what} {on} is in the future; check the date.")
    if on < person.date_of_birth:
        raise InvalidInput(
            f"{what} {on} is before {person.case_ref}'s date of birth; check the date."
        )


@attrs.frozen
class Assessment:
    """What a screening's answers give, and what follows from it."""

    screening: model.Screening
    scored: model.ScreeningOutcome  # from the answers alone
    outcome: model.ScreeningOutcome  # after professional judgement
    judgements: tuple[model.Judgement, ...]
    triggers: tuple[str, ...]
    routes: tuple[SafeguardingRoute, ...]
    needs_action: bool
    suggestions: tuple[SupportService, ...]
    champions: tuple[str, ...]
    missing: tuple[str, ...]
    age: int


@attrs.frozen
class Comparison:
    case_ref: str
    pre_court: model.Screening | None
    post_court: model.Screening | None
    changes: tuple[OutcomeChange, ...]


def _outcome_detail(o: model.ScreeningOutcome) -> str:
    return (
        f"home={o.home.value}; relationship={o.relationship.value}; "
        f"own_behaviour={o.own_behaviour.value}; safety={o.safety.value}"
    )


@attrs.frozen
class TimelineEvent:
    on: dt.date
    kind: str  # screening, support, session, note
    summary: str
    ref_id: int


@attrs.frozen
class Timeline:
    person: model.YoungPerson
    age: int
    events: tuple[TimelineEvent, ...]


@attrs.frozen
class CaseloadRow:
    """One line of the caseload table."""

    case_ref: str
    known_as: str
    age: int
    team: str
    officer: str
    last_stage: str
    last_screened_on: dt.date | None
    last_outcome: str
    open_support: int
    drafts: int


_CONCERN = model.SafetyNow.CONCERN


def _summary(
    stage: model.Stage | str | None, safety: model.SafetyNow | str | None, need: bool | None
) -> str:
    if stage is None:
        return "not screened"
    if safety == _CONCERN:
        return "safety concern"
    return "need identified" if need else "no need identified"


__all__ = ["Assessment", "Casebook", "CaseloadRow", "Comparison", "Timeline", "choose"]
