"""Everything a young person reads in snt-screen is short and plain; officers' words are calm.

Offline: uses snt_youth.readability only.
"""

from __future__ import annotations

import re

import pytest

from snt_youth import readability
from snt_youth.screening import load_instrument

INSTRUMENT = load_instrument("snt-screen")
YOUNG_PERSON_TEXTS = [item.young_person for item in INSTRUMENT.items] + [
    s.young_person_intro for s in INSTRUMENT.sections if s.young_person_intro
]
LABELS = sorted({r.label for item in INSTRUMENT.items for r in item.responses})
OFFICER_TEXTS = [
    text for item in INSTRUMENT.items for text in (item.officer, item.guidance) if text
] + [s.officer_intro for s in INSTRUMENT.sections if s.officer_intro]


@pytest.mark.parametrize("item", INSTRUMENT.items, ids=lambda item: item.id)
def test_each_question_is_short_and_plain(item: object) -> None:
    text = item.young_person  # type: ignore[attr-defined]
    assert readability.problems(text, max_words=15) == [], text
    assert len(readability.words(text)) <= 15, text


@pytest.mark.parametrize("text", YOUNG_PERSON_TEXTS[len(INSTRUMENT.items) :] + LABELS)
def test_intros_and_answer_labels_are_plain(text: str) -> None:
    assert readability.problems(text) == [], text


def test_whole_instrument_reads_at_about_age_nine() -> None:
    body = " ".join(
        t if t.rstrip().endswith((".", "?", "!")) else t + "." for t in YOUNG_PERSON_TEXTS
    )
    measured = readability.measure(body)
    assert measured.reading_age <= 9.0, measured
    assert measured.hard_words == ()


BANNED = [
    r"\boffenders?\b",  # Child First: never label the child
    r"\bperpetrators?\b",
    r"\bwitness(ed)?\b",  # children experience abuse; they are not bystanders
    r"\bvolatile\b",
    r"\btoxic\b",
    r"\bprovoked?\b",
    r"\bfailure to protect\b",
    r"\bwhy (didn't|don't|haven't) you\b",
]


@pytest.mark.parametrize("pattern", BANNED)
def test_no_labelling_or_blaming_words(pattern: str) -> None:
    for text in YOUNG_PERSON_TEXTS + OFFICER_TEXTS + LABELS:
        assert not re.search(pattern, text, re.IGNORECASE), text


def test_wording_passes_the_recording_language_check() -> None:
    """Everything the product writes passes lint-notes."""
    from snt_youth import language

    findings = [
        (text, finding.rule_id)
        for text in YOUNG_PERSON_TEXTS + OFFICER_TEXTS + LABELS
        for finding in language.check(text)
    ]
    assert findings == []
