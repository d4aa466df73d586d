"""The intruder check: the linear system from published reports, and its intervals."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from snt_youth.tracking.disclosure import DisclosureSettings
from snt_youth.tracking.intruder import Key, Model, check, examine
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import CountRow, build_report

Q = Quarter(2025, 4)
AS_AT = dt.date(2026, 5, 1)
OPEN = DisclosureSettings(applied=False)


def stage_counts(pre: int, post: int, both: int) -> list[CountRow]:
    """A service where every measure is the screened count (so nothing else is small)."""
    total = pre + post - both
    rows = []
    for m in ("screened", "need_identified", "protective_adult"):
        rows += [
            CountRow(Q, "all", "all", m, total),
            CountRow(Q, "stage", "pre-court", m, pre),
            CountRow(Q, "stage", "post-court", m, post),
            CountRow(Q, "gender", "female", m, total),
            CountRow(Q, "ethnicity", "White", m, total),
            CountRow(Q, "age_band", "14-15", m, total),
        ]
    return rows


def test_the_issues_overlap_attack_is_found_in_todays_protection() -> None:
    """pre 70 + post 44 - all 112 = 2 young people screened at both stages."""
    report = build_report(
        stage_counts(70, 44, 2), quarter=Q, report_date=AS_AT, disclosure=DisclosureSettings()
    )
    found = check([report]).disclosed
    both = [f for f in found if f.key[3:5] == ("stage", "both") and f.key[5] == "screened"]
    assert both and (both[0].low, both[0].high) == (2, 2)
    assert "stage both: screened" in both[0].where


def test_a_large_overlap_is_not_a_disclosure() -> None:
    report = build_report(
        stage_counts(70, 44, 30), quarter=Q, report_date=AS_AT, disclosure=DisclosureSettings()
    )
    assert not [f for f in check([report]).disclosed if f.key[3] == "stage"]


def test_exact_figures_contradicting_each_other_are_inconsistent() -> None:
    good = build_report(stage_counts(10, 10, 0), quarter=Q, report_date=AS_AT, disclosure=OPEN)
    other = build_report(stage_counts(12, 10, 0), quarter=Q, report_date=AS_AT, disclosure=OPEN)
    assert check([good]).consistent
    assert not check([good, other]).consistent


def k(group: str, measure: str) -> Key:
    return ("2025-26 Q4", "2026-05-01", "service", "t" if group != "all" else "all", group, measure)


def test_funnel_order_narrows_a_hidden_figure() -> None:
    """A hidden stage between two published ones of 3 is placed in 3..3."""
    model = Model(threshold=5)
    model.bounds = {
        k("a", "screened"): (3, 3),
        k("a", "offered"): (1, None),
        k("a", "done"): (3, 3),
    }
    model.suppressed = {k("a", "offered")}
    model.add({k("a", "offered"): 1, k("a", "screened"): -1}, "le")
    model.add({k("a", "done"): 1, k("a", "offered"): -1}, "le")
    (finding,) = examine(model).findings
    assert (finding.low, finding.high, finding.disclosed) == (3, 3, True)


# -- an independent brute-force check of the intervals ------------------------------
tiny = st.lists(st.integers(0, 4), min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(tiny, min_size=2, max_size=3),
    hide=st.sets(st.integers(0, 11), min_size=1, max_size=3),
    quick=st.booleans(),
)
def test_lp_intervals_match_every_consistent_table(
    rows: list[list[int]], hide: set[int], quick: bool
) -> None:
    """A partition table with its All row, funnel order along rows: enumerate every
    integer table consistent with what is shown, and compare with the LP."""
    width = 3
    measures = ("screened", "need_identified", "offered")
    rows = [sorted(r, reverse=True) for r in rows]  # the funnel never rises
    total = [sum(r[c] for r in rows) for c in range(width)]
    grid = [*rows, total]
    cells = [(r, c) for r in range(len(grid)) for c in range(width)]
    hidden = [cells[i] for i in sorted(hide) if i < len(cells) and grid[cells[i][0]][cells[i][1]]]
    if not hidden:
        return
    name = {(r, c): k(str(r) if r < len(rows) else "all", measures[c]) for r, c in cells}
    model = Model(threshold=5)
    for p in cells:
        value = grid[p[0]][p[1]]
        model.bounds[name[p]] = (1, None) if p in hidden else (value, value)
    model.suppressed = {name[p] for p in hidden}
    for c in range(width):
        parts = {name[(r, c)]: 1 for r in range(len(rows))}
        parts[name[(len(rows), c)]] = -1
        model.add(parts, "eq")
    for r in range(len(grid)):
        for c in range(width - 1):
            model.add({name[(r, c + 1)]: 1, name[(r, c)]: -1}, "le")
    largest = 3 * 4  # no published or true figure is above this
    cap = 2 * largest + 1  # a figure seen above `largest` has no upper limit
    seen: dict[tuple[int, int], list[int]] = {p: [] for p in hidden}
    for values in itertools.product(range(1, cap + 1), repeat=len(hidden)):
        trial = [list(row) for row in grid]
        for p, v in zip(hidden, values, strict=True):
            trial[p[0]][p[1]] = v
        ok = all(sum(trial[r][c] for r in range(len(rows))) == trial[-1][c] for c in range(width))
        ok = ok and all(trial[r][c + 1] <= trial[r][c] for r in range(len(grid)) for c in range(2))
        if ok:
            for p, v in zip(hidden, values, strict=True):
                seen[p].append(v)
    found = {f.key: f for f in examine(model, exact=not quick).findings}
    for p in hidden:
        finding = found[name[p]]
        brute_low, brute_high = min(seen[p]), max(seen[p])
        brute_disclosed = (brute_low >= 1 and brute_high <= 5) or brute_low == brute_high
        assert finding.disclosed == brute_disclosed
        if not quick:
            assert finding.low == brute_low
            assert finding.high == (None if brute_high > largest else brute_high)
