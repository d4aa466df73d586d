"""Scoring a screening: pure functions of an instrument and the answers.

The rules, in the order they apply to each outcome:

1. **A disclosure always counts.** Any concern answer to an item feeding the outcome
   sets it to at least that item's level (home: past or ongoing; relationship: some
   concerns or harmful; safety: concern). A concern answer still counts if a later
   change to an earlier answer means the item would no longer be asked: a disclosure is
   never thrown away. With ``pattern_threshold`` set, that many separate "some
   concerns" answers together count as the top level (a pattern of control).
2. **A closed gate.** If the gate item ("have you got a partner?") was answered with a
   response that does not open it, the outcome is "no relationship" / "not applicable".
3. **A clear answer needs every answer.** The lowest level ("none disclosed",
   "healthy", "none described", "none") is given only when every item that applies was
   answered, and none with a missing-data code.
4. **Otherwise "not known".** Unanswered, "not sure", "prefer not to say" and "not
   asked" give "not known". They never count as "no".

So adding a concern answer never lowers an outcome, and missing data never produces
a clear outcome. Professional judgement (:func:`apply_judgements`) can raise any
level with a reason, and never lowers one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Literal

import attrs

from snt_youth import model, vocabulary
from snt_youth.config import SafeguardingRoute, ServiceConfig, SupportService
from snt_youth.errors import InvalidInput
from snt_youth.screening.instrument import MISSING_CODES, NOT_ASKED, Instrument, Item
from snt_youth.vocabulary import OUTCOME_NAMES, SAFETY_TRIGGERS

Answers = Mapping[str, str]


# ---------------------------------------------------------------------------
# Which items apply, and checking one answer
# ---------------------------------------------------------------------------


def applicable(instrument: Instrument, item: Item | str, answers: Answers) -> bool:
    """Whether ``item`` is to be asked given ``answers`` (its condition is met).

    A condition on an item that does not itself apply is unmet, so stale answers to
    skipped questions never open further questions.
    """
    current = instrument.item(item) if isinstance(item, str) else item
    seen: set[str] = set()
    while current.condition is not None:
        if current.id in seen:  # pragma: no cover - the loader forbids cycles
            return False
        seen.add(current.id)
        if answers.get(current.condition.item) not in current.condition.values:
            return False
        current = instrument.item(current.condition.item)
    return True


def applicable_items(instrument: Instrument, answers: Answers) -> list[Item]:
    """The items to ask, in order, given the answers so far."""
    return [item for item in instrument.items if applicable(instrument, item, answers)]


def check_answer(instrument: Instrument, answers: Answers, item_id: str, response: str) -> str:
    """Check one answer before it is stored; return the response code to store.

    ``response`` may be a response code or its single-key shortcut. Raises
    :class:`InvalidInput` for an unknown item, a response the item does not allow
    (listing those it does), or an item whose condition is not met by ``answers``.
    """
    item = instrument.item(item_id)
    code = response.strip()
    if code not in item.codes:
        by_key = item.response_for_key(code)
        if by_key is None:
            allowed = ", ".join(f"{r.code} ({r.key})" for r in item.responses)
            raise InvalidInput(f"{response!r} is not an answer to {item.id}. Allowed: {allowed}.")
        code = by_key.code
    if item.condition is not None and not applicable(instrument, item, answers):
        given = answers.get(item.condition.item)
        has = f"it is {given!r}" if given is not None else "it has no answer yet"
        raise InvalidInput(
            f"{item.id} is asked only when {item.condition.describe()}, and {has}; "
            "answer or change that item first."
        )
    return code


def missing_required(instrument: Instrument, answers: Answers) -> list[str]:
    """Ids of required items that apply and have no answer (missing-data codes count as answers)."""
    return [
        item.id
        for item in applicable_items(instrument, answers)
        if item.required and item.id not in answers
    ]


def _validate(instrument: Instrument, answers: Answers) -> None:
    for item_id, code in answers.items():
        item = instrument.item(item_id)
        if code not in item.codes:
            raise InvalidInput(
                f"The answer {code!r} to {item_id} is not allowed by {instrument.id} "
                f"{instrument.version}; allowed: {', '.join(item.codes)}."
            )


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def level_index(outcome: str, level: StrEnum | str) -> int:
    """Position of ``level`` in the outcome's order (higher is more concern)."""
    return vocabulary.outcome(outcome).rank(level)


def _higher(outcome: str, a: StrEnum, b: StrEnum) -> StrEnum:
    return a if level_index(outcome, a) >= level_index(outcome, b) else b


def _lowest(outcome: str) -> StrEnum:
    return vocabulary.outcome(outcome).levels[0]


def _score_one(instrument: Instrument, outcome: str, answers: Answers) -> StrEnum:
    terms = vocabulary.outcome(outcome)
    feeders = instrument.feeding(outcome)

    # 1. Disclosures, whether or not the item would be asked now.
    concerns = [
        terms.level(item.concern_levels[answers[item.id]])
        for item in feeders
        if item.is_concern(answers.get(item.id))
    ]
    if concerns:
        level = concerns[0]
        for found in concerns[1:]:
            level = _higher(outcome, level, found)
        top = terms.levels[-1]
        threshold = instrument.pattern_threshold
        if threshold and terms.closed is not None and len(concerns) >= threshold:
            level = _higher(outcome, level, top)
        return level

    # 2. A closed gate.
    gate = instrument.gate_for(outcome)
    if gate is not None:
        given = answers.get(gate.id)
        if given is None or given in MISSING_CODES or not applicable(instrument, gate, answers):
            return terms.not_known
        if given not in gate.opens and terms.closed is not None:
            return terms.closed

    # 3. Clear only if every applicable item was answered, none with missing data.
    asked = [item for item in feeders if applicable(instrument, item, answers)]
    if asked and all(
        answers.get(item.id) is not None and answers[item.id] not in MISSING_CODES for item in asked
    ):
        return terms.clear

    # 4. Otherwise we do not know.
    return terms.not_known


def score(instrument: Instrument, answers: Answers) -> model.ScreeningOutcome:
    """The outcome the answers give, before professional judgement.

    Raises :class:`InvalidInput` if an answer names an unknown item or a response
    the item does not allow (answers from another instrument or version).
    """
    _validate(instrument, answers)
    return model.ScreeningOutcome(
        home=model.HomeAbuse(_score_one(instrument, "home", answers)),
        relationship=model.Relationship(_score_one(instrument, "relationship", answers)),
        own_behaviour=model.OwnBehaviour(_score_one(instrument, "own_behaviour", answers)),
        safety=model.SafetyNow(_score_one(instrument, "safety", answers)),
    )


# ---------------------------------------------------------------------------
# Professional judgement
# ---------------------------------------------------------------------------


def check_judgement(outcome: model.ScreeningOutcome, judgement: model.Judgement) -> None:
    """Raise :class:`InvalidInput` unless ``judgement`` is a real level, at or above ``outcome``'s.

    Also refuses an empty reason: a raised level always says why.
    """
    if judgement.outcome not in OUTCOME_NAMES:
        raise InvalidInput(
            f"There is no outcome {judgement.outcome!r} to raise; "
            f"use one of {', '.join(OUTCOME_NAMES)}."
        )
    levels = vocabulary.outcome(judgement.outcome).values
    if judgement.level not in levels:
        raise InvalidInput(
            f"{judgement.level!r} is not a level of {judgement.outcome}; "
            f"use one of: {', '.join(levels)}."
        )
    if not judgement.reason.strip():
        raise InvalidInput(
            f"Raising {judgement.outcome} to {judgement.level!r} needs a reason; "
            "write what you saw or heard that led to it."
        )
    current = getattr(outcome, judgement.outcome)
    if level_index(judgement.outcome, judgement.level) < level_index(judgement.outcome, current):
        raise InvalidInput(
            f"Professional judgement can raise {judgement.outcome} but never lower it: "
            f"the answers give {str(current)!r}, above {judgement.level!r}. "
            "If an answer was recorded wrongly, amend the answer instead."
        )


def apply_judgements(
    outcome: model.ScreeningOutcome,
    judgements: Iterable[model.Judgement],
    *,
    strict: bool = True,
) -> model.ScreeningOutcome:
    """The outcome with each judgement's level applied; levels only ever go up.

    Each judgement is checked against ``outcome`` (the scored outcome): a judgement
    that would lower a level, or has an empty reason, raises :class:`InvalidInput`.
    With ``strict=False`` (for re-applying judgements recorded earlier, after answers
    were amended and now score higher) a judgement below the scored level is kept on
    record but has no effect; empty reasons and unknown levels still fail.
    """
    values = {name: getattr(outcome, name) for name in OUTCOME_NAMES}
    for judgement in judgements:
        base = outcome
        if not strict and judgement.outcome in OUTCOME_NAMES:
            # Check everything but the direction: a judgement now below the scored
            # level is simply outweighed by the answers.
            lowest: dict[str, Any] = {judgement.outcome: _lowest(judgement.outcome)}
            base = attrs.evolve(outcome, **lowest)
        check_judgement(base, judgement)
        raised = vocabulary.outcome(judgement.outcome).level(judgement.level)
        values[judgement.outcome] = _higher(judgement.outcome, values[judgement.outcome], raised)
    return model.ScreeningOutcome(
        home=model.HomeAbuse(values["home"]),
        relationship=model.Relationship(values["relationship"]),
        own_behaviour=model.OwnBehaviour(values["own_behaviour"]),
        safety=model.SafetyNow(values["safety"]),
    )


# ---------------------------------------------------------------------------
# What follows from an outcome
# ---------------------------------------------------------------------------


def triggers(instrument: Instrument, answers: Answers, outcome: model.ScreeningOutcome) -> set[str]:
    """Safeguarding trigger names (``config.TRIGGERS``) raised by the outcome and answers.

    Pass the outcome after professional judgement, so a raised level triggers too.
    """
    found: set[str] = set()
    if outcome.safety is model.SafetyNow.CONCERN:
        found.add("safety-concern")
    if any(
        item.immediate_danger and item.is_concern(answers.get(item.id)) for item in instrument.items
    ):
        found.add("immediate-danger")
        found.add("safety-concern")
    if outcome.home is model.HomeAbuse.ONGOING:
        found.add("home-ongoing")
    if outcome.relationship is model.Relationship.HARMFUL:
        found.add("relationship-harmful")
    return found


def escalation(
    config: ServiceConfig, age: int, trigger_names: Iterable[str]
) -> list[SafeguardingRoute]:
    """Safeguarding routes from the service configuration for this age and these triggers."""
    return config.routes_for(age, set(trigger_names))


def needs_safety_action(trigger_names: Iterable[str]) -> bool:
    """Whether completing the screening needs the action taken (or a reason) recorded."""
    names = set(trigger_names)
    return bool(names & SAFETY_TRIGGERS)


def suggested_support(
    config: ServiceConfig, outcome: model.ScreeningOutcome
) -> list[SupportService]:
    """Support services the configuration suggests for this outcome, each once, in config order."""
    chosen: list[SupportService] = []
    for suggestion in config.suggestions:
        level = str(getattr(outcome, suggestion.outcome))
        if level in suggestion.levels:
            for service_id in suggestion.support:
                service = config.support_service(service_id)
                if service not in chosen:
                    chosen.append(service)
    return chosen


# ---------------------------------------------------------------------------
# Comparing two screenings
# ---------------------------------------------------------------------------

Direction = Literal[
    "more concern", "less concern", "no change", "no change in concern", "not compared"
]


@attrs.frozen
class OutcomeChange:
    """How one outcome differs between two screenings (usually pre-court, then post-court)."""

    outcome: str
    title: str
    before: str | None
    after: str | None
    direction: Direction


def concern_rank(outcome: str, level: StrEnum | str) -> int:
    """How much concern a level shows, for comparing two screenings.

    The closed level ("no relationship", "not applicable") is not a step on the concern
    scale: it means there was nothing to ask about. It ranks with the clear level
    ("healthy", "none described"), both showing no concern; the order is otherwise the
    outcome's own.
    """
    terms = vocabulary.outcome(outcome)
    if terms.closed is not None and str(level) == str(terms.closed):
        level = terms.clear
    return terms.rank(level)


def compare(
    before: model.ScreeningOutcome | None, after: model.ScreeningOutcome | None
) -> list[OutcomeChange]:
    """What changed per outcome from ``before`` (pre-court) to ``after`` (post-court).

    Either may be None (no completed screening at that stage): those rows are
    "not compared". The same level is "no change". A different level that shows
    neither more nor less concern (from "no relationship" to "healthy", say) is "no
    change in concern". Moving to or from "not known" is reported as a change of level
    like any other.
    """
    changes: list[OutcomeChange] = []
    for name in OUTCOME_NAMES:
        a = getattr(before, name) if before is not None else None
        b = getattr(after, name) if after is not None else None
        direction: Direction
        if a is None or b is None:
            direction = "not compared"
        elif a == b:
            direction = "no change"
        elif concern_rank(name, b) > concern_rank(name, a):
            direction = "more concern"
        elif concern_rank(name, b) < concern_rank(name, a):
            direction = "less concern"
        else:
            direction = "no change in concern"
        changes.append(
            OutcomeChange(
                outcome=name,
                title=vocabulary.outcome(name).title,
                before=None if a is None else str(a),
                after=None if b is None else str(b),
                direction=direction,
            )
        )
    return changes


__all__ = [
    "NOT_ASKED",
    "Answers",
    "OutcomeChange",
    "applicable",
    "applicable_items",
    "apply_judgements",
    "check_answer",
    "check_judgement",
    "compare",
    "concern_rank",
    "escalation",
    "level_index",
    "missing_required",
    "needs_safety_action",
    "score",
    "suggested_support",
    "triggers",
]
