"""Which question comes next in a screening: one rule for every face.

Questions are asked in instrument order. After the current one comes the next
unanswered question that applies; questions the officer skipped come back only once
every other question has an answer. ``None`` means every question that applies has
an answer, and the screening is ready to finish.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from snt_youth.screening.instrument import Instrument, Item
from snt_youth.screening.scoring import applicable_items


def next_question(
    instrument: Instrument,
    answers: Mapping[str, str],
    *,
    after: str | None = None,
    skipped: Collection[str] = (),
) -> Item | None:
    """The question to ask after item ``after`` (from the start when None).

    Unanswered questions that were not ``skipped`` come first, going round from the one
    after ``after``; then any skipped question still unanswered, in instrument order.
    """
    items = applicable_items(instrument, answers)
    ids = [item.id for item in items]
    start = ids.index(after) + 1 if after in ids else 0
    for item in items[start:] + items[:start]:
        if item.id not in answers and item.id not in skipped:
            return item
    for item in items:
        if item.id not in answers:
            return item
    return None
