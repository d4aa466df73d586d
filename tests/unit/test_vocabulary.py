"""The one vocabulary: every other table derives from it, and it agrees with the model."""

from __future__ import annotations

import attrs
import pytest

from snt_youth import config, model, vocabulary
from snt_youth.errors import InvalidInput
from snt_youth.screening import instrument


def test_outcomes_are_the_fields_of_a_screening_outcome() -> None:
    fields = tuple(a.name for a in attrs.fields(model.ScreeningOutcome))
    assert fields == vocabulary.OUTCOME_NAMES


@pytest.mark.parametrize("term", vocabulary.OUTCOMES, ids=lambda t: t.name)
def test_each_outcome_orders_every_level_of_its_enum_once(term: vocabulary.Outcome) -> None:
    enum = type(term.levels[0])
    assert set(term.levels) == set(enum)
    assert len(term.levels) == len(set(term.levels))
    # The special levels sit where scoring needs them: clear below not known, concerns above.
    assert term.rank(term.clear) < term.rank(term.not_known)
    assert all(term.rank(c) > term.rank(term.not_known) for c in term.concern_levels)
    if term.closed is not None:
        assert term.rank(term.closed) == 0


def test_titles_are_unique_and_written_for_people() -> None:
    titles = [o.title for o in vocabulary.OUTCOMES]
    assert len(set(titles)) == len(titles)
    assert all(t[0].isupper() and "_" not in t for t in titles)


def test_raisable_levels_are_those_above_the_current_one() -> None:
    assert vocabulary.raisable_levels("home", "not known") == ("past", "ongoing")
    assert vocabulary.raisable_levels("safety", "concern") == ()
    with pytest.raises(InvalidInput, match="not a level"):
        vocabulary.raisable_levels("home", "harmful")
    with pytest.raises(InvalidInput, match="not a screening outcome"):
        vocabulary.raisable_levels("mood", "none")


def test_every_code_list_value_has_its_own_title() -> None:
    for enum in vocabulary.TITLED:
        titles = [vocabulary.title(v) for v in enum]
        assert len(set(titles)) == len(titles), enum
        assert all(t[0].isupper() for t in titles)


def test_config_and_instrument_tables_derive_from_the_vocabulary() -> None:
    assert config.TRIGGERS == vocabulary.TRIGGERS
    assert config.OUTCOMES == vocabulary.OUTCOME_NAMES
    assert instrument.ITEM_OUTCOMES[:-1] == vocabulary.OUTCOME_NAMES
    assert instrument.CLOSED_LEVELS == {
        "relationship": "no relationship",
        "own_behaviour": "not applicable",
    }
    assert instrument.CONCERN_LEVELS["home"] == instrument.TIMINGS == ("past", "ongoing")


def test_safety_triggers_are_triggers() -> None:
    assert set(vocabulary.TRIGGERS) >= vocabulary.SAFETY_TRIGGERS


@pytest.mark.parametrize(
    ("typed", "group"),
    [
        ("Black", model.Ethnicity.BLACK),
        ("black", model.Ethnicity.BLACK),
        ("Black, Black British, Caribbean or African", model.Ethnicity.BLACK),
        ("asian", model.Ethnicity.ASIAN),
        ("Mixed", model.Ethnicity.MIXED),
        (" white ", model.Ethnicity.WHITE),
        ("Other", model.Ethnicity.OTHER),
        ("not stated", model.Ethnicity.NOT_STATED),
        ("NOT_STATED", model.Ethnicity.NOT_STATED),
        (model.Ethnicity.ASIAN, model.Ethnicity.ASIAN),
    ],
)
def test_ethnicity_accepts_short_names_and_full_labels(
    typed: str | model.Ethnicity, group: model.Ethnicity
) -> None:
    assert vocabulary.ethnicity(typed) is group


def test_an_unknown_ethnicity_is_refused_with_the_labels() -> None:
    with pytest.raises(InvalidInput, match="Ethnicity group 'Martian' is not one of 'Asian"):
        vocabulary.ethnicity("Martian")
