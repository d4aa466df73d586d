"""Screening: drafts answered one at a time, judgement, completion and amendment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from snt_youth import model, vocabulary
from snt_youth.casebook.base import CasebookBase, choose
from snt_youth.casebook.text import check_free_text
from snt_youth.casebook.views import Assessment, Comparison
from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    from snt_youth.screening import Instrument, Item
    from snt_youth.store import Tx


class ScreeningCases(CasebookBase):
    """Use cases about screenings."""

    def screenings(self, case_ref: str) -> list[model.Screening]:
        """A young person's screenings, drafts included, oldest first."""
        with self._store.reading() as tx:
            return tx.screenings_for(case_ref)

    def screening(self, screening_id: int) -> model.Screening:
        """One screening with its answers."""
        with self._store.reading() as tx:
            return tx.screening(screening_id)

    def drafts(self) -> list[model.Screening]:
        """Screenings started but not completed (offered on restart)."""
        with self._store.reading() as tx:
            return tx.drafts()

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
            # The young person's row is locked, so two officers starting at once queue
            # here; ix_screenings_one_draft refuses a second draft in any case.
            case_ref = tx.young_person(case_ref).case_ref
            tx.lock_young_person(case_ref)
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

    def answer(
        self,
        screening_id: int,
        item_id: str,
        response: str,
        *,
        expected_version: int | None = None,
    ) -> model.Screening:
        """Store one answer at once (a code such as "yes", or its key such as "y")."""
        from snt_youth.screening import check_answer

        with self._change() as tx:
            screening, version = self._locked_screening(tx, screening_id, expected_version)
            self._require_draft(screening)
            instrument = self._instrument_of(screening)
            code = check_answer(instrument, screening.answers, item_id, response)
            tx.set_answer(screening_id, item_id, code, self.clock.now())
            self._bump(tx, screening, version)
            self._audit(tx, "answer", "screening", screening_id, item_id)
            return tx.screening(screening_id)

    def clear_answer(
        self, screening_id: int, item_id: str, *, expected_version: int | None = None
    ) -> model.Screening:
        """Take an answer back (the officer went back and the young person changed it)."""
        with self._change() as tx:
            screening, version = self._locked_screening(tx, screening_id, expected_version)
            self._require_draft(screening)
            self._instrument_of(screening).item(item_id)
            tx.clear_answer(screening_id, item_id)
            self._bump(tx, screening, version)
            self._audit(tx, "clear-answer", "screening", screening_id, item_id)
            return tx.screening(screening_id)

    def _locked_screening(
        self, tx: Tx, screening_id: int, expected_version: int | None
    ) -> tuple[model.Screening, int]:
        """A screening with its answers, locked until the transaction ends, and its
        version (refused if it is not ``expected_version``)."""
        version = tx.lock_screening(screening_id)
        screening = tx.screening(screening_id)
        self._check_version(
            tx,
            f"{screening.case_ref}'s screening {screening_id}",
            "screening",
            screening_id,
            version,
            expected_version,
        )
        return screening, version

    def _bump(self, tx: Tx, screening: model.Screening, version: int) -> None:
        """Raise the screening's version for a change to it or its answers."""
        if not tx.bump_screening(screening.id, version):
            raise self._conflict(
                tx, f"{screening.case_ref}'s screening {screening.id}", "screening", screening.id
            )

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

    def raise_level(
        self,
        screening_id: int,
        judgement: model.Judgement,
        *,
        expected_version: int | None = None,
    ) -> Assessment:
        """Raise an outcome level on a draft with the officer's reason, stored at once."""
        with self._change() as tx:
            screening, version = self._locked_screening(tx, screening_id, expected_version)
            self._require_draft(screening)
            result = self._judged(screening, self._instrument_of(screening), [judgement])
            tx.write_judgements(screening_id, result.judgements)
            self._bump(tx, screening, version)
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

        person = self._person(screening.case_ref)
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
        expected_version: int | None = None,
    ) -> Assessment:
        """Complete a draft: store the outcome in columns, with the instrument and version.

        Refused while required items are unanswered (they are listed), and, when a
        safety concern is raised, until ``action`` (what was done, or why not) is given.
        """
        with self._change() as tx:
            screening, version = self._locked_screening(tx, screening_id, expected_version)
            self._require_draft(screening)
            result = self._judged(screening, self._instrument_of(screening), judgements)
            self._store_outcome(
                tx, result, action=action, completed_at=self.clock.now(), check_missing=True
            )
            self._bump(tx, screening, version)
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
        expected_version: int | None = None,
    ) -> Assessment:
        """Change a completed screening's answers or raise a level, with a reason (audited).

        The screening is locked while its answers are changed and its outcome is worked
        out again, so two amendments at once never leave an outcome that disagrees
        with the stored answers.
        """
        from snt_youth.screening import check_answer

        if not reason.strip():
            raise InvalidInput("Amending a completed screening needs a reason.")
        with self._change() as tx:
            screening, version = self._locked_screening(tx, screening_id, expected_version)
            if screening.status is not model.ScreeningStatus.COMPLETE:
                raise InvalidInput(
                    f"Screening {screening_id} is still a draft: change its answers directly."
                )
            instrument = self._instrument_of(screening)
            merged = dict(screening.answers)
            for item_id, response in (answers or {}).items():
                merged[item_id] = check_answer(instrument, merged, item_id, response)
                tx.set_answer(screening_id, item_id, merged[item_id], self.clock.now())
            changed = attrs.evolve(screening, answers=merged)
            result = self._judged(changed, instrument, judgements)
            self._store_outcome(
                tx,
                result,
                action=(action or "").strip() or screening.safety_action,
                completed_at=screening.completed_at,
                check_missing=False,
            )
            self._bump(tx, screening, version)
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
        case_ref = self._person(case_ref).case_ref  # as stored, whatever case it was typed in
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
                # Complete from the start: a paper form is never a second draft.
                status=model.ScreeningStatus.COMPLETE,
            )
            new_id = tx.insert_screening(draft)
            at = self.clock.now()
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
        stored_ref = pre.case_ref if pre else post.case_ref if post else case_ref
        return Comparison(stored_ref, pre, post, tuple(changes))

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
        if action is not None:
            check_free_text(action, "The safety action")
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


def _outcome_detail(o: model.ScreeningOutcome) -> str:
    return (
        f"home={o.home.value}; relationship={o.relationship.value}; "
        f"own_behaviour={o.own_behaviour.value}; safety={o.safety.value}"
    )
