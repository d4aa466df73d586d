"""The product's one vocabulary: outcomes, levels, triggers, stages, responses, end reasons.

Each term is defined here once, with the title people read. Scoring, the service
configuration, the instrument loader, the store's SQL, the faces and the docs tables all
derive what they need from these tables, so a title or an order can never disagree
between two screens.

The values themselves are the model's enums (``model.HomeAbuse`` and so on), because
they are what records hold and the database stores. This module adds order, meaning and
words to them.
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from snt_youth import model
from snt_youth.errors import InvalidInput

# ---------------------------------------------------------------------------
# Screening outcomes and their levels
# ---------------------------------------------------------------------------


@attrs.frozen
class Outcome:
    """One screening outcome (a field of ``model.ScreeningOutcome`` and a stored column).

    ``levels`` runs from least to most concern. Scoring and professional judgement may
    only move a level up this order.
    """

    name: str
    title: str
    levels: tuple[StrEnum, ...]
    #: The level when the questions were answered and showed no concern.
    clear: StrEnum
    #: The level when answers were missing ("not sure", "prefer not to say", not asked).
    not_known: StrEnum
    #: The levels a concern answer in an instrument may give, least concern first.
    concern_levels: tuple[StrEnum, ...]
    #: The level when the section's gate is closed (for example "no partner"), if it has one.
    closed: StrEnum | None = None

    @property
    def values(self) -> tuple[str, ...]:
        """The levels as stored strings, least concern first."""
        return tuple(str(level) for level in self.levels)

    def rank(self, level: str | StrEnum) -> int:
        """The position of ``level`` in the order (0 is least concern)."""
        try:
            return self.values.index(str(level))
        except ValueError:
            raise InvalidInput(
                f"{level!r} is not a level of {self.title.lower()}; "
                f"use one of: {', '.join(self.values)}."
            ) from None

    def levels_above(self, current: str | StrEnum) -> tuple[str, ...]:
        """The levels above ``current``, least concern first: what an officer may raise it to."""
        return self.values[self.rank(current) + 1 :]

    def level(self, value: str | StrEnum) -> StrEnum:
        """The enum member for a stored value, refusing a value outside this outcome."""
        return self.levels[self.rank(value)]


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        name="home",
        title="Domestic abuse at home",
        levels=tuple(model.HomeAbuse),
        clear=model.HomeAbuse.NONE_DISCLOSED,
        not_known=model.HomeAbuse.NOT_KNOWN,
        concern_levels=(model.HomeAbuse.PAST, model.HomeAbuse.ONGOING),
    ),
    Outcome(
        name="relationship",
        title="Their own relationship",
        levels=tuple(model.Relationship),
        clear=model.Relationship.HEALTHY,
        not_known=model.Relationship.NOT_KNOWN,
        concern_levels=(model.Relationship.SOME_CONCERNS, model.Relationship.HARMFUL),
        closed=model.Relationship.NO_RELATIONSHIP,
    ),
    Outcome(
        name="own_behaviour",
        title="Behaviour in their relationship",
        levels=tuple(model.OwnBehaviour),
        clear=model.OwnBehaviour.NONE_DESCRIBED,
        not_known=model.OwnBehaviour.NOT_KNOWN,
        concern_levels=(model.OwnBehaviour.SOME_CONCERNS, model.OwnBehaviour.HARMFUL_BEHAVIOUR),
        closed=model.OwnBehaviour.NOT_APPLICABLE,
    ),
    Outcome(
        name="safety",
        title="Safety now",
        levels=tuple(model.SafetyNow),
        clear=model.SafetyNow.NONE,
        not_known=model.SafetyNow.NOT_KNOWN,
        concern_levels=(model.SafetyNow.CONCERN,),
    ),
)

#: Outcome names, in the order every face shows them.
OUTCOME_NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)
_BY_NAME = {o.name: o for o in OUTCOMES}

#: For each outcome, its levels from least to most concern.
LEVEL_ORDERS: dict[str, tuple[StrEnum, ...]] = {o.name: o.levels for o in OUTCOMES}


def outcome(name: str) -> Outcome:
    """The outcome called ``name``; an unknown name is refused with the names to use."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise InvalidInput(
            f"{name!r} is not a screening outcome; use one of: {', '.join(OUTCOME_NAMES)}."
        ) from None


def raisable_levels(name: str, current: str | StrEnum) -> tuple[str, ...]:
    """The levels an officer's professional judgement may raise outcome ``name`` to."""
    return outcome(name).levels_above(current)


# ---------------------------------------------------------------------------
# Safeguarding triggers
# ---------------------------------------------------------------------------


@attrs.frozen
class Trigger:
    """A condition in a screening that the service configuration can route on."""

    name: str
    title: str
    meaning: str


TRIGGER_TERMS: tuple[Trigger, ...] = (
    Trigger(
        "safety-concern",
        "Safety concern now",
        "Safety now is a concern, from the answers or from professional judgement.",
    ),
    Trigger(
        "immediate-danger",
        "Danger right now",
        "An answer says that someone is in danger right now.",
    ),
    Trigger(
        "home-ongoing",
        "Ongoing domestic abuse at home",
        "Domestic abuse at home is ongoing.",
    ),
    Trigger(
        "relationship-harmful",
        "Harm in their own relationship",
        "The young person is being harmed in their own relationship.",
    ),
)
#: Trigger names, as the service configuration writes them.
TRIGGERS: tuple[str, ...] = tuple(t.name for t in TRIGGER_TERMS)
#: Triggers that need the action taken (or a reason) recorded before a screening completes.
SAFETY_TRIGGERS: frozenset[str] = frozenset({"safety-concern", "immediate-danger"})


# ---------------------------------------------------------------------------
# Titles of the other code lists
# ---------------------------------------------------------------------------

_TITLES: dict[StrEnum, str] = {
    model.Stage.PRE_COURT: "Pre-court",
    model.Stage.POST_COURT: "Post-court",
    model.SupportKind.INTERNAL: "Internal",
    model.SupportKind.EXTERNAL: "External",
    model.OfferResponse.NO_RESPONSE: "No response yet",
    model.OfferResponse.ACCEPTED: "Accepted",
    model.OfferResponse.DECLINED: "Declined",
    model.EndReason.COMPLETED: "Completed",
    model.EndReason.DISENGAGED: "Stopped taking part",
    model.EndReason.MOVED_AWAY: "Moved away",
    model.EndReason.OTHER: "Other reason",
    model.ScreeningStatus.DRAFT: "Draft",
    model.ScreeningStatus.COMPLETE: "Complete",
}
#: Code lists whose every value has a title here.
TITLED: tuple[type[StrEnum], ...] = (
    model.Stage,
    model.SupportKind,
    model.OfferResponse,
    model.EndReason,
    model.ScreeningStatus,
)


def title(value: StrEnum) -> str:
    """The title people read for a code-list value, or an outcome level in sentence case."""
    found = _TITLES.get(value)
    if found is not None:
        return found
    text = str(value)
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------
# Ethnicity: the ONS groups, by full label or short name
# ---------------------------------------------------------------------------


def _ethnicity_names(group: model.Ethnicity) -> tuple[str, ...]:
    """What a person may type for ``group``: its label, its code name, its first word."""
    short = group.value.split(" ")[0].rstrip(",")
    return (group.value.lower(), group.name.lower().replace("_", " "), short.lower())


def ethnicity(value: str | model.Ethnicity) -> model.Ethnicity:
    """The ONS top-level group for its full label, or a short name such as "Black".

    Every face and the Casebook accept the same words; anything else is refused with
    the labels to use.
    """
    if isinstance(value, model.Ethnicity):
        return value
    wanted = str(value).strip().lower().replace("_", " ")
    for group in model.Ethnicity:
        if wanted in _ethnicity_names(group):
            return group
    allowed = ", ".join(repr(g.value) for g in model.Ethnicity)
    raise InvalidInput(f"Ethnicity group {value!r} is not one of {allowed}.")
