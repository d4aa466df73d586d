"""The one "next question" rule both faces use (``snt_youth.screening.flow``)."""

from __future__ import annotations

from snt_youth import config
from snt_youth.screening import applicable_items, instrument_for
from snt_youth.screening.flow import next_question

INSTRUMENT = instrument_for(config.load(None))
FIRST, SECOND, THIRD = (item.id for item in INSTRUMENT.items[:3])


def test_from_the_start_it_is_the_first_unanswered_question() -> None:
    assert next_question(INSTRUMENT, {}).id == FIRST  # type: ignore[union-attr]
    assert next_question(INSTRUMENT, {FIRST: "no"}).id == SECOND  # type: ignore[union-attr]


def test_after_a_question_it_goes_on_from_there_and_wraps_round() -> None:
    following = next_question(INSTRUMENT, {SECOND: "no"}, after=SECOND)
    assert following is not None and following.id == THIRD
    last = applicable_items(INSTRUMENT, {})[-1].id
    wrapped = next_question(INSTRUMENT, {}, after=last)
    assert wrapped is not None and wrapped.id == FIRST


def test_skipped_questions_come_back_only_at_the_end() -> None:
    skipped = next_question(INSTRUMENT, {}, skipped={FIRST})
    assert skipped is not None and skipped.id == SECOND
    everything_else = {i.id: "no" for i in INSTRUMENT.items if i.id != FIRST}
    back = next_question(INSTRUMENT, everything_else, after=SECOND, skipped={FIRST})
    assert back is not None and back.id == FIRST


def test_none_when_every_question_that_applies_has_an_answer() -> None:
    answers: dict[str, str] = {}
    while (item := next_question(INSTRUMENT, answers)) is not None:
        answers[item.id] = "no" if item.id != "safe-place" else "yes"
    assert set(answers) == {i.id for i in applicable_items(INSTRUMENT, answers)}
    assert next_question(INSTRUMENT, answers) is None
