"""Records the store returns that are not model records: results of its queries.

Every query returns attrs records (from :mod:`snt_youth.model` or this module), never
SQLAlchemy rows.
"""

from __future__ import annotations

import datetime as dt

import attrs

from snt_youth import model


@attrs.frozen
class CaseloadEntry:
    """One young person on the caseload, with their last completed screening and open support."""

    case_ref: str
    known_as: str | None
    date_of_birth: dt.date
    team: str
    officer: str | None
    last_stage: model.Stage | None
    last_screened_on: dt.date | None
    last_need: bool | None
    last_home: model.HomeAbuse | None
    last_safety: model.SafetyNow | None
    open_support: int
    drafts: int
