"""The records the service keeps, as frozen attrs classes.

Records hold no behaviour beyond small derived values. Validation of input a person
wrote happens at the edges (the Casebook and the codec), not here.

Privacy: a young person is known by the service's own case reference and, at most,
a first name or initials (``known_as``). Nothing here holds a full name or address.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs


class Stage(StrEnum):
    """The point in the justice process at which a screening or offer happens."""

    PRE_COURT = "pre-court"
    POST_COURT = "post-court"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "another gender"
    NOT_STATED = "not stated"


class Ethnicity(StrEnum):
    """The five ONS top-level ethnic groups, plus "not stated"."""

    ASIAN = "Asian or Asian British"
    BLACK = "Black, Black British, Caribbean or African"
    MIXED = "Mixed or multiple ethnic groups"
    WHITE = "White"
    OTHER = "Other ethnic group"
    NOT_STATED = "not stated"


class Language(StrEnum):
    ENGLISH = "en"
    WELSH = "cy"


class ScreeningStatus(StrEnum):
    DRAFT = "draft"
    COMPLETE = "complete"


class HomeAbuse(StrEnum):
    """Domestic abuse at home, as disclosed. Ordered from least to most concern."""

    NONE_DISCLOSED = "none disclosed"
    NOT_KNOWN = "not known"
    PAST = "past"
    ONGOING = "ongoing"


class Relationship(StrEnum):
    """Health of the young person's own relationship (harm done to them)."""

    NO_RELATIONSHIP = "no relationship"
    HEALTHY = "healthy"
    NOT_KNOWN = "not known"
    SOME_CONCERNS = "some concerns"
    HARMFUL = "harmful"


class OwnBehaviour(StrEnum):
    """Harmful behaviour by the young person in their relationship, in neutral words."""

    NOT_APPLICABLE = "not applicable"
    NONE_DESCRIBED = "none described"
    NOT_KNOWN = "not known"
    SOME_CONCERNS = "some concerns"
    HARMFUL_BEHAVIOUR = "harmful behaviour described"


class SafetyNow(StrEnum):
    NONE = "none"
    NOT_KNOWN = "not known"
    CONCERN = "concern"


class SupportKind(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


class OfferResponse(StrEnum):
    NO_RESPONSE = "no response yet"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class EndReason(StrEnum):
    COMPLETED = "completed"
    DISENGAGED = "disengaged"
    MOVED_AWAY = "moved away"
    OTHER = "other"


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a given date."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@attrs.frozen
class YoungPerson:
    """A young person on the caseload. ``known_as`` is a first name or initials only."""

    case_ref: str
    date_of_birth: dt.date
    team: str
    gender: Gender = Gender.NOT_STATED
    ethnicity: Ethnicity = Ethnicity.NOT_STATED
    known_as: str | None = None
    language: Language = Language.ENGLISH
    officer: str | None = None

    def age_on(self, on: dt.date) -> int:
        return age_on(self.date_of_birth, on)


@attrs.frozen
class Judgement:
    """An officer raising an outcome level above what the answers gave, with a reason."""

    outcome: str  # one of vocabulary.OUTCOME_NAMES
    level: str
    reason: str


@attrs.frozen
class ScreeningOutcome:
    """What a completed screening found. Stored as columns for quarterly SQL."""

    home: HomeAbuse
    relationship: Relationship
    own_behaviour: OwnBehaviour
    safety: SafetyNow

    @property
    def need_identified(self) -> bool:
        """Domestic abuse experienced, or a concern in the young person's relationship."""
        return (
            self.home in (HomeAbuse.PAST, HomeAbuse.ONGOING)
            or self.relationship in (Relationship.SOME_CONCERNS, Relationship.HARMFUL)
            or self.own_behaviour in (OwnBehaviour.SOME_CONCERNS, OwnBehaviour.HARMFUL_BEHAVIOUR)
            or self.safety is SafetyNow.CONCERN
        )


@attrs.frozen
class Screening:
    """One screening of one young person at one stage; a draft until completed."""

    id: int
    case_ref: str
    stage: Stage
    screened_on: dt.date
    officer: str
    instrument_id: str
    instrument_version: str
    answers: dict[str, str] = attrs.field(factory=dict)
    status: ScreeningStatus = ScreeningStatus.DRAFT
    outcome: ScreeningOutcome | None = None
    judgements: tuple[Judgement, ...] = ()
    safety_action: str | None = None
    completed_at: dt.datetime | None = None


@attrs.frozen
class SupportOffer:
    """Support offered to a young person: an internal intervention or an external referral."""

    id: int
    case_ref: str
    stage: Stage
    offered_on: dt.date
    kind: SupportKind
    service: str
    screening_id: int | None = None
    response: OfferResponse = OfferResponse.NO_RESPONSE
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    end_reason: EndReason | None = None
    contacts: int = 0  # recorded contacts for external work
    sessions: int = 0  # direct-work sessions linked to this offer (derived on read)

    @property
    def attended(self) -> bool:
        return self.contacts + self.sessions > 0

    @property
    def completed(self) -> bool:
        return self.end_reason is EndReason.COMPLETED

    @property
    def open(self) -> bool:
        return self.response is not OfferResponse.DECLINED and self.ended_on is None


@attrs.frozen
class MatrixEntry:
    """One cell of the "who tried to keep you safe?" matrix, in the young person's words."""

    person: str  # a role or a first name only
    domain: str  # a column id of the matrix
    words: str = ""


@attrs.frozen
class Session:
    """A direct-work session using a matrix."""

    id: int
    case_ref: str
    held_on: dt.date
    facilitator: str
    matrix_id: str
    matrix_version: str
    entries: tuple[MatrixEntry, ...] = ()
    reflection: str = ""
    next_steps: str = ""
    protective_adult_identified: bool = False
    confirmed_by_facilitator: bool = False
    offer_id: int | None = None


@attrs.frozen
class CaseNote:
    id: int
    case_ref: str
    written_on: dt.date
    author: str
    text: str


@attrs.frozen
class AuditEvent:
    """Who did what to which record, and when. Written in the same transaction as the change."""

    id: int
    at: dt.datetime
    user: str
    action: str
    record_type: str
    record_id: str
    detail: str = ""
