"""Screening: instruments as data, pure scoring, and the data dictionary.

The lifecycle (drafts, answers, completion, amendments) lives in the Casebook, which
calls these pure functions. Nothing here touches the database.
"""

from __future__ import annotations

from snt_youth.screening.dictionary import dictionary
from snt_youth.screening.flow import next_item, next_question
from snt_youth.screening.instrument import (
    MISSING_CODES,
    NOT_ASKED,
    NOT_SURE,
    PREFER_NOT_TO_SAY,
    Condition,
    Instrument,
    Item,
    Response,
    Section,
    instrument_for,
    load_instrument,
    parse_instrument,
    shipped_instruments,
)
from snt_youth.screening.scoring import (
    OutcomeChange,
    applicable,
    applicable_items,
    apply_judgements,
    check_answer,
    check_judgement,
    compare,
    escalation,
    missing_required,
    needs_safety_action,
    score,
    suggested_support,
    triggers,
)

__all__ = [
    "MISSING_CODES",
    "NOT_ASKED",
    "NOT_SURE",
    "PREFER_NOT_TO_SAY",
    "Condition",
    "Instrument",
    "Item",
    "OutcomeChange",
    "Response",
    "Section",
    "applicable",
    "applicable_items",
    "apply_judgements",
    "check_answer",
    "check_judgement",
    "compare",
    "dictionary",
    "escalation",
    "instrument_for",
    "load_instrument",
    "missing_required",
    "needs_safety_action",
    "next_item",
    "next_question",
    "parse_instrument",
    "score",
    "shipped_instruments",
    "suggested_support",
    "triggers",
]
