"""Disclosure control: nothing small is published, and nothing hidden can be worked out."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from snt_youth.errors import InvalidInput
from snt_youth.tracking.disclosure import (
    SUPPRESSED,
    CountTable,
    DisclosureSettings,
    Figure,
    Position,
    ProtectedTable,
    determined_positions,
    percent_of,
    pinned_positions,
    protect,
    round5,
)

# Small counts are common in real tables, so skew towards them.
counts = st.one_of(st.integers(0, 8), st.integers(0, 60))
thresholds = st.integers(1, 10)


@st.composite
def grids(draw: st.DrawFn, max_rows: int = 5, max_columns: int = 5) -> list[list[int]]:
    rows = draw(st.integers(1, max_rows))
    columns = draw(st.integers(1, max_columns))
    return [[draw(counts) for _ in range(columns)] for _ in range(rows)]


def published(table: ProtectedTable, original: CountTable) -> list[tuple[Position, Figure]]:
    return [(p, table.figure(p)) for p in original.positions()]


def hidden_of(table: ProtectedTable, original: CountTable) -> set[Position]:
    return {p for p, fig in published(table, original) if fig.suppressed}


def assert_safe(original: CountTable, table: ProtectedTable, threshold: int) -> None:
    hidden = hidden_of(table, original)
    for position, fig in published(table, original):
        # No published cell lies in 1..threshold; published values are exact.
        if fig.value is not None:
            assert not 1 <= fig.value <= threshold
            assert fig.value == original.value(position)
        else:
            assert original.value(position) > 0, "zero stays 0"
    for members, total in original.lines():
        line = [*members, total]
        in_line = [p for p in line if p in hidden]
        # No suppressed cell is the only unknown in its row or column.
        assert len(in_line) != 1, (members, total, in_line)
        inner = [p for p in members if p in hidden]
        if inner and total not in hidden:
            total_hidden = sum(original.value(p) for p in inner)
            # The hidden counts together are not small, and not all forced to be 1.
            assert total_hidden > threshold
            assert total_hidden > len(inner)
    # No combination of rows and columns pins a hidden cell down.
    assert not determined_positions(original.lines(), hidden)
    assert not pinned_positions(original, hidden)


@settings(max_examples=300)
@given(grids(), thresholds, st.booleans(), st.booleans())
def test_suppression_is_safe(
    cells: list[list[int]], threshold: int, rows: bool, cols: bool
) -> None:
    original = CountTable.with_sums(cells, rows=rows, columns=cols)
    table = protect(original, DisclosureSettings("suppress", threshold))
    assert_safe(original, table, threshold)


@settings(max_examples=200)
@given(grids(max_rows=7, max_columns=8), thresholds)
def test_report_shaped_tables_are_safe(cells: list[list[int]], threshold: int) -> None:
    """Groups x measures with published column totals, as in every breakdown table."""
    original = CountTable.with_sums(cells, rows=False, columns=True)
    table = protect(original, DisclosureSettings("suppress", threshold))
    assert_safe(original, table, threshold)


@settings(max_examples=200)
@given(grids(), thresholds)
def test_unsuppressed_breakdowns_sum_to_totals(cells: list[list[int]], threshold: int) -> None:
    original = CountTable.with_sums(cells)
    table = protect(original, DisclosureSettings("suppress", threshold))
    assert table.row_totals is not None and table.column_totals is not None
    for r, row in enumerate(table.cells):
        if all(not f.suppressed for f in row) and not table.row_totals[r].suppressed:
            assert sum(f.value or 0 for f in row) == table.row_totals[r].value
    for c, total in enumerate(table.column_totals):
        column = [row[c] for row in table.cells]
        if all(not f.suppressed for f in column) and not total.suppressed:
            assert sum(f.value or 0 for f in column) == total.value
    exact = protect(original, DisclosureSettings(applied=False))
    assert [[f.value for f in row] for row in exact.cells] == cells


def _brute_force_candidates(
    original: CountTable, hidden: set[Position], bound: int
) -> dict[Position, set[int]]:
    """Every value each hidden cell could take, given what is published (tiny tables only).

    The attacker knows every published figure, that totals are sums, and that a hidden
    figure is at least 1 (zeros are always shown). They try every value up to ``bound``
    for the hidden counts; hidden totals follow from the sums.
    """
    inner = sorted(p for p in hidden if p[0] >= 0 and p[1] >= 0)
    rows, width = original.shape
    possible: dict[Position, set[int]] = {p: set() for p in hidden}
    for values in itertools.product(range(1, bound + 1), repeat=len(inner)):
        guess = dict(zip(inner, values, strict=True))
        grid = [
            [guess.get((r, c), original.cells[r][c]) for c in range(width)] for r in range(rows)
        ]
        derived = CountTable.with_sums(grid)
        if any(
            derived.value(p) != original.value(p) for p in original.positions() if p not in hidden
        ):
            continue
        for p in hidden:
            possible[p].add(derived.value(p))
    return possible


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 3), min_size=2, max_size=3), min_size=2, max_size=2).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    ),
    st.integers(1, 3),
)
def test_an_attacker_trying_every_value_cannot_pin_a_hidden_cell(
    cells: list[list[int]], threshold: int
) -> None:
    original = CountTable.with_sums(cells)
    table = protect(original, DisclosureSettings("suppress", threshold))
    hidden = hidden_of(table, original)
    inner = [p for p in hidden if p[0] >= 0 and p[1] >= 0]
    assume(0 < len(inner) <= 4)
    # True counts are at most 3 here, so trying up to 6 shows any room to move.
    possible = _brute_force_candidates(original, hidden, 6)
    for position, values in possible.items():
        assert original.value(position) in values
        assert len(values) >= 2, (position, values)


def test_lone_small_count_takes_the_next_smallest_with_it() -> None:
    original = CountTable(((3, 10, 12, 40),), row_totals=(65,))
    table = protect(original, DisclosureSettings())
    assert [str(f) for f in table.cells[0]] == [SUPPRESSED, SUPPRESSED, "12", "40"]
    assert str(table.row_totals[0] if table.row_totals else "") == "65"


def test_ones_that_add_up_to_a_small_number_are_protected_together() -> None:
    # 1 and 1 beside a published total 2 more than the rest would give both away.
    original = CountTable(((1,), (1,), (48,)), column_totals=(50,))
    table = protect(original, DisclosureSettings())
    assert [str(row[0]) for row in table.cells] == [SUPPRESSED] * 3
    assert table.column_totals is not None and table.column_totals[0].value == 50


def test_a_total_made_only_of_ones_is_suppressed() -> None:
    original = CountTable(tuple((1,) for _ in range(6)), column_totals=(6,))
    table = protect(original, DisclosureSettings())
    assert table.column_totals is not None and table.column_totals[0].suppressed


def test_zero_stays_zero_and_threshold_zero_hides_nothing() -> None:
    original = CountTable.with_sums([[0, 2], [0, 9]])
    assert str(protect(original, DisclosureSettings()).cells[0][0]) == "0"
    plain = protect(original, DisclosureSettings("suppress", 0))
    assert [[f.value for f in row] for row in plain.cells] == [[0, 2], [0, 9]]


def test_forced_totals_are_hidden() -> None:
    original = CountTable(((20,), (30,)), column_totals=(50,))
    table = protect(original, DisclosureSettings(), also_suppress=[(-1, 0)])
    assert table.column_totals is not None and table.column_totals[0].suppressed
    assert_safe(original, table, 5)


@given(st.integers(0, 10_000), thresholds)
def test_round5_never_publishes_small_numbers(value: int, threshold: int) -> None:
    shown = round5(value, threshold)
    if value == 0:
        assert shown == 0
    elif value <= threshold:
        assert shown is None
    else:
        assert shown is not None and shown % 5 == 0 and shown > threshold
        assert abs(shown - value) <= 2 or shown == (threshold // 5 + 1) * 5


@given(grids(), thresholds)
def test_round5_tables(cells: list[list[int]], threshold: int) -> None:
    original = CountTable.with_sums(cells)
    table = protect(original, DisclosureSettings("round5", threshold))
    for position in original.positions():
        fig = table.figure(position)
        assert fig.value == round5(original.value(position), threshold)


def test_percentages_of_suppressed_figures_are_suppressed() -> None:
    assert str(percent_of(Figure(None), Figure(40))) == SUPPRESSED
    assert str(percent_of(Figure(10), Figure(None))) == SUPPRESSED
    assert str(percent_of(Figure(0), Figure(0))) == "[z]"
    assert str(percent_of(Figure(10), Figure(40))) == "25.0%"


def test_bad_settings_are_refused() -> None:
    with pytest.raises(InvalidInput):
        DisclosureSettings("blur", 5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        DisclosureSettings("suppress", -1)


def test_unsuppressed_settings_carry_the_marking() -> None:
    assert DisclosureSettings(applied=False).marking == "OFFICIAL-SENSITIVE: not for publication"
    assert DisclosureSettings().marking is None
