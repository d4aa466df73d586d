"""`compare` ranks the closed levels ("no relationship", "not applicable") apart."""

from __future__ import annotations

import attrs
import pytest

from snt_youth import model
from snt_youth.screening import compare
from snt_youth.screening.scoring import concern_rank

BASE = model.ScreeningOutcome(
    home=model.HomeAbuse.NONE_DISCLOSED,
    relationship=model.Relationship.NO_RELATIONSHIP,
    own_behaviour=model.OwnBehaviour.NOT_APPLICABLE,
    safety=model.SafetyNow.NONE,
)


def directions(after: model.ScreeningOutcome) -> dict[str, str]:
    return {c.outcome: c.direction for c in compare(BASE, after)}


def test_no_relationship_to_a_clear_answer_is_no_change_in_concern() -> None:
    after = attrs.evolve(
        BASE,
        relationship=model.Relationship.HEALTHY,
        own_behaviour=model.OwnBehaviour.NONE_DESCRIBED,
    )
    found = directions(after)
    assert found["relationship"] == "no change in concern"
    assert found["own_behaviour"] == "no change in concern"
    assert found["home"] == "no change"


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (model.Relationship.NOT_KNOWN, "more concern"),
        (model.Relationship.SOME_CONCERNS, "more concern"),
        (model.Relationship.HARMFUL, "more concern"),
    ],
)
def test_from_no_relationship_to_a_concern_is_more_concern(
    level: model.Relationship, expected: str
) -> None:
    assert directions(attrs.evolve(BASE, relationship=level))["relationship"] == expected


def test_a_concern_ending_in_no_relationship_is_less_concern() -> None:
    before = attrs.evolve(BASE, relationship=model.Relationship.HARMFUL)
    (change,) = [c for c in compare(before, BASE) if c.outcome == "relationship"]
    assert change.direction == "less concern"


def test_closed_ranks_with_clear_and_below_not_known() -> None:
    closed = concern_rank("own_behaviour", model.OwnBehaviour.NOT_APPLICABLE)
    clear = concern_rank("own_behaviour", model.OwnBehaviour.NONE_DESCRIBED)
    assert closed == clear < concern_rank("own_behaviour", model.OwnBehaviour.NOT_KNOWN)
