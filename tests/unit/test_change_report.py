"""The change report's pure core: levels, directions, tables that add up, and the
intruder check over what is published."""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snt_youth import vocabulary
from snt_youth.errors import InvalidInput
from snt_youth.tracking import change
from snt_youth.tracking.change import (
    IMPROVED,
    NOT_COMPARABLE,
    PREFER_NOT_TO_SAY,
    SAME,
    WORSE,
    Pair,
    build_change_report,
    direction,
    financial_year,
    model_of_change,
    report_levels,
)
from snt_youth.tracking.disclosure import DisclosureSettings
from snt_youth.tracking.intruder import examine

TEAMS = (("north", "North"), ("south", "South"), ("iss", "ISS"))
AS_AT = dt.date(2026, 5, 1)
YEAR = financial_year("2025-26")


def test_levels_keep_prefer_not_to_say_apart_from_not_known_and_none() -> None:
    levels = report_levels("home")
    assert levels == ("none disclosed", "not known", PREFER_NOT_TO_SAY, "past", "ongoing")
    assert direction("home", "ongoing", "past") == IMPROVED
    assert direction("home", "past", "ongoing") == WORSE
    assert direction("home", "none disclosed", "none disclosed") == SAME
    assert direction("home", "not known", "none disclosed") == NOT_COMPARABLE
    assert direction("home", "ongoing", PREFER_NOT_TO_SAY) == NOT_COMPARABLE
    # A closed relationship is no concern, like a healthy one.
    assert direction("relationship", "harmful", "no relationship") == IMPROVED
    assert direction("relationship", "healthy", "no relationship") == SAME


def test_financial_year_parsing() -> None:
    year = financial_year(" 2025-26 ")
    assert (year.start, year.end) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    for bad in ("2025", "2025-27", "25-26", "2025/26", "x"):
        with pytest.raises(InvalidInput, match="financial year"):
            financial_year(bad)


def _pairs(seed: int, n: int) -> list[Pair]:
    rng = random.Random(seed)

    def level(outcome: str, before: str | None = None) -> str:
        if before is not None and rng.random() < 0.6:
            return before
        levels = report_levels(outcome)
        return rng.choices(levels, weights=[8, 3, 1, 2, 1, 1][: len(levels)])[0]

    found = []
    for _ in range(n):
        pre = {o: level(o) for o in vocabulary.OUTCOME_NAMES}
        post = {o: level(o, pre[o]) for o in vocabulary.OUTCOME_NAMES}
        offer = rng.choice([None, rng.randint(0, 40)])
        found.append(
            Pair(
                rng.choice(TEAMS)[0],
                pre,
                post,
                rng.random() < 0.5,
                offer,
                None if offer is None else rng.choice([None, rng.randint(0, 20)]),
            )
        )
    return found


def _check(pairs: list[Pair], team: str | None, threshold: int) -> None:
    settings_ = DisclosureSettings(threshold=threshold)
    report = build_change_report(
        pairs, period=YEAR, report_date=AS_AT, disclosure=settings_, teams=TEAMS, team=team
    )
    group = [p for p in pairs if team is None or p.team == team]
    # Every published figure is the true count.
    if report.cohort.value is not None:
        assert report.cohort.value == len(group)
    for item in report.transitions:
        levels = item.levels
        for r, pre in enumerate(levels):
            for c, post in enumerate(levels):
                shown = item.table.cells[r][c].value
                true = sum(
                    1 for p in group if p.pre[item.outcome] == pre and p.post[item.outcome] == post
                )
                assert shown is None or shown == true
                if true == 0:
                    assert shown == 0  # zero identifies nobody and is always shown
        for name, figure in zip(change.DIRECTIONS, item.directions, strict=True):
            true = sum(
                1
                for p in group
                if direction(item.outcome, p.pre[item.outcome], p.post[item.outcome]) == name
            )
            assert figure.value is None or figure.value == true
            assert figure.value is None or not (1 <= figure.value <= threshold)
    # Medians only for groups of more than twice the threshold.
    for timing in report.timings:
        if timing.shown:
            assert timing.count.value is not None and timing.count.value > 2 * threshold
    # Nothing suppressed can be placed in 1..threshold or found exactly.
    examination = examine(model_of_change(report), exact=False)
    assert examination.consistent
    assert examination.disclosed == ()


@pytest.mark.parametrize(("seed", "n", "team"), [(1, 120, None), (2, 40, "north"), (3, 8, None)])
def test_published_figures_are_true_and_pass_the_intruder_check(
    seed: int, n: int, team: str | None
) -> None:
    _check(_pairs(seed, n), team, 5)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(0, 45), threshold=st.sampled_from([3, 5]))
def test_random_caseloads_pass_the_intruder_check(seed: int, n: int, threshold: int) -> None:
    _check(_pairs(seed, n), None, threshold)


def test_large_groups_show_their_figures_and_medians() -> None:
    pairs = _pairs(4, 400)
    report = build_change_report(
        pairs, period=YEAR, report_date=AS_AT, disclosure=DisclosureSettings(), teams=TEAMS
    )
    assert report.cohort.value == 400
    home = report.transition("home")
    assert home.table.cells[0][0].value == sum(
        1 for p in pairs if p.pre["home"] == p.post["home"] == "none disclosed"
    )
    offer = report.timings[0]
    days = sorted(p.days_to_offer for p in pairs if p.days_to_offer is not None)
    assert offer.median == statistics.median(days)
    assert "400 young people" in change.summary(report)


def test_an_unknown_team_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Unknown team"):
        build_change_report(
            [],
            period=YEAR,
            report_date=AS_AT,
            disclosure=DisclosureSettings(),
            teams=TEAMS,
            team="nowhere",
        )


def test_a_pair_with_a_level_outside_the_outcome_is_refused() -> None:
    levels = {o: report_levels(o)[0] for o in vocabulary.OUTCOME_NAMES}
    with pytest.raises(ValueError, match="not a report level"):
        Pair("north", {**levels, "home": "healthy"}, levels)
