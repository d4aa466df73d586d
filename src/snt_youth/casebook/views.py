"""The records Casebook use cases return (besides the model's own records)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from snt_youth import model
from snt_youth.config import SafeguardingRoute, SupportService

if TYPE_CHECKING:
    from snt_youth.screening import OutcomeChange


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
    """A young person's latest pre-court and post-court screenings, and what changed."""

    case_ref: str
    pre_court: model.Screening | None
    post_court: model.Screening | None
    changes: tuple[OutcomeChange, ...]


@attrs.frozen
class TimelineEvent:
    """One dated thing on a young person's timeline."""

    on: dt.date
    kind: str  # screening, support, session, note
    summary: str
    ref_id: int


@attrs.frozen
class Timeline:
    """A young person, their age today, and their events by date."""

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


__all__ = ["Assessment", "CaseloadRow", "Comparison", "Timeline", "TimelineEvent"]
