"""Disclosure control for tables of counts, before figures leave the service.

Small numbers identify children, so a table of counts is protected before it is
published. Two methods, chosen in the service configuration (``[disclosure]``):

``suppress`` (the default)
    *Primary suppression*: every count from 1 up to the threshold (default 5) is
    replaced by the GSS symbol ``[c]``. Zero stays ``0``: it identifies nobody.

    *Secondary suppression*: totals are published, so a lone ``[c]`` in a row or
    column could be worked out by subtraction. Every line (a row or column with its
    total) is checked, and while a line breaks a rule below, the smallest non-zero
    published count in it is suppressed too (a total only if no count is left).
    Rules, for every line:

    1. it never holds exactly one ``[c]`` (counting its total);
    2. when its total is published, the ``[c]`` counts in it add up to more than the
       threshold, and to more than how many of them there are (so "1 and 1" cannot
       be read off a total that is 2 more than the rest);
    3. no ``[c]`` can be found exactly by combining several rows and columns (checked
       by solving the published equations), nor narrowed to a single number by
       knowing that every ``[c]`` is at least 1 (checked by interval propagation).

    The checks repeat over all rows and columns until nothing changes.

``round5``
    Counts from 1 up to the threshold are shown as ``[c]``; every other count,
    totals included, is rounded to the nearest multiple of 5 (…2 down, …3 up). A
    count that would round to a number at or below the threshold is rounded up to
    the first multiple of 5 above it, so no published number lies in 1..threshold.
    Totals are rounded on their own, so rounded parts need not add up to the total.

Percentages are computed from published figures; if the part or the whole is
``[c]`` the percentage is ``[c]`` too, and a percentage of zero is ``[z]``.

These rules protect one table at a time. Funnel order, overlaps and reports published
together are handled by the intruder check (``tracking.intruder``), which
``tracking.publication`` runs over a whole publication.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, TypeVar

import attrs

from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    from snt_youth.config import Disclosure

SUPPRESSED = "[c]"
NOT_APPLICABLE = "[z]"
UNSUPPRESSED_MARKING = "OFFICIAL-SENSITIVE: not for publication"

V = TypeVar("V")

Method = Literal["suppress", "round5"]
METHODS: tuple[Method, ...] = ("suppress", "round5")

# A position in a table: (row, column) for a count, (row, -1) for a row total,
# (-1, column) for a column total and (-1, -1) for the grand total.
Position = tuple[int, int]
GRAND: Position = (-1, -1)


@attrs.frozen
class DisclosureSettings:
    """How figures are protected. ``applied=False`` is the internal-only unsuppressed view."""

    method: Method = "suppress"
    threshold: int = 5
    applied: bool = True

    def __attrs_post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidInput(
                f"Unknown disclosure method {self.method!r}; use 'suppress' or 'round5'."
            )
        if self.threshold < 0:
            raise InvalidInput("The disclosure threshold must be 0 or more.")

    @classmethod
    def from_config(cls, disclosure: Disclosure, *, applied: bool = True) -> DisclosureSettings:
        """Settings from the service configuration's ``[disclosure]`` table."""
        return cls(method=disclosure.method, threshold=disclosure.threshold, applied=applied)

    @property
    def marking(self) -> str | None:
        """The protective marking every output must carry, if any."""
        return None if self.applied else UNSUPPRESSED_MARKING

    @property
    def rule(self) -> str:
        """The rule in words, for notes sheets and report footers."""
        t = self.threshold
        if not self.applied:
            return (
                "No disclosure control has been applied: these are exact counts for internal "
                f"use only. {UNSUPPRESSED_MARKING}."
            )
        if self.method == "round5":
            return (
                f"Counts from 1 to {t} are shown as {SUPPRESSED}. Other counts, totals "
                "included, are rounded to the nearest 5; a count that would round to "
                f"{t} or less is shown as the first multiple of 5 above {t}. Totals are "
                "rounded separately, so parts may not add up to the total. Zero is shown "
                f"as 0. Percentages use the rounded figures; {SUPPRESSED} where either "
                f"figure is suppressed and {NOT_APPLICABLE} where the base is zero."
            )
        return (
            f"Counts from 1 to {t} are suppressed and shown as {SUPPRESSED}. Further "
            f"counts are suppressed (also shown as {SUPPRESSED}) wherever a suppressed "
            "count could otherwise be worked out from the totals: no row or column holds "
            f"just one {SUPPRESSED}, and the suppressed counts in a row or column always "
            f"add up to more than {t}. Zero is shown as 0. Percentages of suppressed "
            f"counts are shown as {SUPPRESSED}, and {NOT_APPLICABLE} where the base is zero."
        )


@attrs.frozen
class Figure:
    """A published count: ``value`` is None when suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return SUPPRESSED if self.value is None else str(self.value)


@attrs.frozen
class Percent:
    """A published percentage (0–100), or a GSS symbol when it cannot be shown."""

    value: float | None
    symbol: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            return self.symbol or NOT_APPLICABLE
        return f"{self.value:.1f}%"


def percent_of(part: Figure, whole: Figure) -> Percent:
    """``part`` as a percentage of ``whole``, suppressed if either figure is."""
    if part.value is None or whole.value is None:
        return Percent(None, SUPPRESSED)
    if whole.value == 0:
        return Percent(None, NOT_APPLICABLE)
    return Percent(round(100.0 * part.value / whole.value, 1))


def _check_counts(values: Iterable[int], what: str) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{what} must be whole numbers of 0 or more, not {value!r}")


@attrs.frozen
class CountTable:
    """A table of counts, with the totals that will be published beside it.

    ``row_totals``/``column_totals`` are None when that margin is not published. When
    both are given the grand total (default: the sum of the row totals) is published
    too. Totals need not equal the sum of their parts (a young person can be in two
    groups); protection treats every line as if its total were the sum, which is the
    cautious reading.
    """

    cells: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...] | None = None
    column_totals: tuple[int, ...] | None = None
    grand_total: int | None = None

    def __attrs_post_init__(self) -> None:
        width = len(self.cells[0]) if self.cells else 0
        if any(len(row) != width for row in self.cells):
            raise ValueError("every row of a count table needs the same number of cells")
        for row in self.cells:
            _check_counts(row, "counts")
        if self.row_totals is not None:
            if len(self.row_totals) != len(self.cells):
                raise ValueError("there must be one row total per row")
            _check_counts(self.row_totals, "totals")
        if self.column_totals is not None:
            if self.cells and len(self.column_totals) != width:
                raise ValueError("there must be one column total per column")
            _check_counts(self.column_totals, "totals")
        if self.grand_total is not None:
            _check_counts([self.grand_total], "totals")

    @classmethod
    def with_sums(
        cls, cells: Sequence[Sequence[int]], *, rows: bool = True, columns: bool = True
    ) -> CountTable:
        """A table whose published totals are the sums of its counts."""
        grid = tuple(tuple(row) for row in cells)
        width = len(grid[0]) if grid else 0
        row_totals = tuple(sum(row) for row in grid) if rows else None
        column_totals = (
            tuple(sum(row[c] for row in grid) for c in range(width)) if columns else None
        )
        grand = sum(row_totals) if row_totals is not None and columns else None
        return cls(grid, row_totals, column_totals, grand)

    @property
    def shape(self) -> tuple[int, int]:
        if self.cells:
            return (len(self.cells), len(self.cells[0]))
        return (0, len(self.column_totals or ()))

    def value(self, position: Position) -> int:
        return _at(position, self.cells, self.row_totals, self.column_totals, self._grand)

    def _grand(self) -> int:
        if self.grand_total is not None:
            return self.grand_total
        assert self.row_totals is not None
        return sum(self.row_totals)

    def positions(self) -> list[Position]:
        """Every published position: counts first, then totals."""
        rows, width = self.shape
        found: list[Position] = [(r, c) for r in range(rows) for c in range(width)]
        if self.row_totals is not None:
            found += [(r, -1) for r in range(rows)]
        if self.column_totals is not None:
            found += [(-1, c) for c in range(width)]
        if self.row_totals is not None and self.column_totals is not None:
            found.append(GRAND)
        return found

    def lines(self) -> list[tuple[tuple[Position, ...], Position]]:
        """Every additive line: (the positions that add up, the position of their total)."""
        rows, width = self.shape
        found: list[tuple[tuple[Position, ...], Position]] = []
        # A line with no members says nothing about its total, so it is left out.
        if self.row_totals is not None and width:
            found += [(tuple((r, c) for c in range(width)), (r, -1)) for r in range(rows)]
        if self.column_totals is not None and rows:
            found += [(tuple((r, c) for r in range(rows)), (-1, c)) for c in range(width)]
        if self.row_totals is not None and self.column_totals is not None:
            found.append((tuple((-1, c) for c in range(width)), GRAND))
            found.append((tuple((r, -1) for r in range(rows)), GRAND))
        return found


def _at(
    position: Position,
    cells: Sequence[Sequence[V]],
    row_totals: Sequence[V] | None,
    column_totals: Sequence[V] | None,
    grand: Callable[[], V],
) -> V:
    """The value at a position: a count, a row total (column -1), a column total
    (row -1), or the grand total (-1, -1)."""
    row, column = position
    if row >= 0 and column >= 0:
        return cells[row][column]
    if column < 0 <= row:
        assert row_totals is not None
        return row_totals[row]
    if row < 0 <= column:
        assert column_totals is not None
        return column_totals[column]
    return grand()


@attrs.frozen
class ProtectedTable:
    """A count table as it may be published."""

    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...] | None
    column_totals: tuple[Figure, ...] | None
    grand_total: Figure | None
    settings: DisclosureSettings

    def figure(self, position: Position) -> Figure:
        return _at(position, self.cells, self.row_totals, self.column_totals, self._grand)

    def _grand(self) -> Figure:
        assert self.grand_total is not None
        return self.grand_total


def protect(
    table: CountTable,
    settings: DisclosureSettings,
    *,
    also_suppress: Iterable[Position] = (),
) -> ProtectedTable:
    """The table as it may be published under ``settings``.

    ``also_suppress`` forces positions to be suppressed (used to keep a total that
    another table had to suppress suppressed everywhere). It is ignored by ``round5``
    and when protection is not applied.
    """
    if not settings.applied:
        return _build(table, set(), settings, lambda v: v)
    if settings.method == "round5":
        return _build(table, set(), settings, lambda v: round5(v, settings.threshold))
    hidden = suppression_pattern(table, settings.threshold, also_suppress=also_suppress)
    return _build(table, hidden, settings, lambda v: v)


def round5(value: int, threshold: int) -> int | None:
    """One count under the round5 rule: None for 1..threshold, else a multiple of 5."""
    if value == 0:
        return 0
    if value <= threshold:
        return None
    rounded = (value + 2) // 5 * 5
    if rounded <= threshold:
        rounded = (threshold // 5 + 1) * 5
    return rounded


def _build(
    table: CountTable,
    hidden: set[Position],
    settings: DisclosureSettings,
    show: object,
) -> ProtectedTable:
    assert callable(show)

    def fig(position: Position) -> Figure:
        if position in hidden:
            return Figure(None)
        value: int | None = show(table.value(position))
        return Figure(value)

    rows, width = table.shape
    cells = tuple(tuple(fig((r, c)) for c in range(width)) for r in range(rows))
    row_totals = tuple(fig((r, -1)) for r in range(rows)) if table.row_totals is not None else None
    column_totals = (
        tuple(fig((-1, c)) for c in range(width)) if table.column_totals is not None else None
    )
    grand = fig(GRAND) if table.row_totals is not None and table.column_totals is not None else None
    return ProtectedTable(cells, row_totals, column_totals, grand, settings)


def suppression_pattern(
    table: CountTable, threshold: int, *, also_suppress: Iterable[Position] = ()
) -> set[Position]:
    """The positions to suppress (primary and secondary) under the ``suppress`` rule."""
    positions = table.positions()
    hidden = {p for p in positions if 1 <= table.value(p) <= threshold}
    hidden.update(p for p in also_suppress if p in positions and table.value(p) > 0)
    if not hidden:
        return hidden
    lines = table.lines()
    while True:
        if _fix_one_line(table, lines, hidden, threshold):
            continue
        exposed = sorted(determined_positions(lines, hidden))
        if not exposed:
            exposed = sorted(pinned_positions(table, hidden))
        if not exposed:
            return hidden
        if not _cover(table, lines, hidden, exposed[0]):
            return hidden  # nothing non-zero is left to hide; cannot happen with real totals


def _line_breaks_rules(
    table: CountTable,
    members: tuple[Position, ...],
    total: Position,
    hidden: set[Position],
    threshold: int,
) -> bool:
    hidden_members = [p for p in members if p in hidden]
    count = len(hidden_members) + (1 if total in hidden else 0)
    if count == 1:
        return True
    if total in hidden or not hidden_members:
        return False
    hidden_sum = sum(table.value(p) for p in hidden_members)
    return hidden_sum <= threshold or hidden_sum <= len(hidden_members)


def _candidates(
    table: CountTable,
    members: Iterable[Position],
    hidden: set[Position],
    lines: Sequence[tuple[tuple[Position, ...], Position]] = (),
) -> list[Position]:
    """Published non-zero positions to hide next, best first.

    Best is a position whose other lines already hold a suppressed count (hiding it
    leaves no new lone ``[c]``, which keeps the pattern small), then the smallest
    count, then the first position.
    """

    def new_lone(p: Position) -> int:
        return sum(
            1
            for line_members, total in lines
            if (p in line_members or p == total)
            and not any(q in hidden for q in (*line_members, total))
        )

    found = [p for p in members if p not in hidden and table.value(p) > 0]
    return sorted(found, key=lambda p: (new_lone(p), table.value(p), p))


def _fix_one_line(
    table: CountTable,
    lines: list[tuple[tuple[Position, ...], Position]],
    hidden: set[Position],
    threshold: int,
) -> bool:
    for members, total in lines:
        if not _line_breaks_rules(table, members, total, hidden, threshold):
            continue
        choice = _candidates(table, members, hidden, lines) or _candidates(
            table, [total], hidden, lines
        )
        if choice:
            hidden.add(choice[0])
            return True
    return False


def _cover(
    table: CountTable,
    lines: list[tuple[tuple[Position, ...], Position]],
    hidden: set[Position],
    exposed: Position,
) -> bool:
    """Hide one more count in a line through ``exposed`` (smallest first)."""
    nearby: list[Position] = []
    for members, total in lines:
        if exposed in members or exposed == total:
            nearby += [*members, total]
    inner = [p for p in nearby if p[0] >= 0 and p[1] >= 0]
    choice = _candidates(table, inner, hidden, lines)
    choice = choice or _candidates(table, nearby, hidden, lines)
    choice = choice or _candidates(table, table.positions(), hidden, lines)
    if not choice:
        return False
    hidden.add(choice[0])
    return True


def determined_positions(
    lines: Sequence[tuple[tuple[Position, ...], Position]], hidden: set[Position]
) -> set[Position]:
    """Suppressed positions whose value follows exactly from the published lines.

    Each line says "members add up to total". Published values are known; the
    suppressed ones are unknowns. A value is determined when the linear system pins
    it down, whatever the other unknowns are (Gaussian elimination over fractions).
    """
    unknowns = sorted({p for members, total in lines for p in (*members, total) if p in hidden})
    if not unknowns:
        return set()
    index = {p: i for i, p in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for members, total in lines:
        row = [Fraction(0)] * len(unknowns)
        for p in members:
            if p in index:
                row[index[p]] += 1
        if total in index:
            row[index[total]] -= 1
        if any(row):
            matrix.append(row)
    pivots = _row_reduce(matrix)
    determined: set[Position] = set()
    pivot_columns = {column for _, column in pivots}
    for row_index, column in pivots:
        row = matrix[row_index]
        if all(row[j] == 0 for j in range(len(unknowns)) if j not in pivot_columns):
            determined.add(unknowns[column])
    return determined


def feasible_ranges(
    table: CountTable, hidden: set[Position]
) -> dict[Position, tuple[int, int | None]]:
    """What someone could work out about each suppressed figure: a (lowest, highest)
    range, highest None when unbounded.

    They know every published figure, that each line adds up, and that a suppressed
    figure is at least 1 (zeros are always shown). The ranges are narrowed line by line
    until nothing changes (interval propagation).
    """
    lines = table.lines()
    low: dict[Position, int] = {}
    high: dict[Position, int | None] = {}
    for p in table.positions():
        if p in hidden:
            low[p], high[p] = 1, None
        else:
            low[p] = high[p] = table.value(p)
    for _ in range(200):
        changed = False
        for members, total in lines:
            for v in (*members, total):
                if v not in hidden:
                    continue
                if v == total:
                    lo = sum(low[m] for m in members)
                    highs = [high[m] for m in members]
                    hi = None if any(h is None for h in highs) else sum(h or 0 for h in highs)
                else:
                    others = [m for m in members if m != v]
                    other_highs = [high[m] for m in others]
                    lo = (
                        low[total] - sum(h or 0 for h in other_highs)
                        if all(h is not None for h in other_highs)
                        else 0
                    )
                    total_high = high[total]
                    hi = None if total_high is None else total_high - sum(low[m] for m in others)
                if lo > low[v]:
                    low[v], changed = lo, True
                current = high[v]
                if hi is not None and (current is None or hi < current):
                    high[v], changed = hi, True
        if not changed:
            break
    return {p: (low[p], high[p]) for p in hidden}


def pinned_positions(table: CountTable, hidden: set[Position]) -> set[Position]:
    """Suppressed figures whose range (see :func:`feasible_ranges`) is a single number."""
    return {
        p for p, (lo, hi) in feasible_ranges(table, hidden).items() if hi is not None and lo >= hi
    }


def _row_reduce(matrix: list[list[Fraction]]) -> list[tuple[int, int]]:
    """Reduce ``matrix`` in place to reduced row echelon form; return (row, column) pivots."""
    pivots: list[tuple[int, int]] = []
    if not matrix:
        return pivots
    width = len(matrix[0])
    row = 0
    for column in range(width):
        pivot = next((r for r in range(row, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        lead = matrix[row][column]
        matrix[row] = [value / lead for value in matrix[row]]
        for other in range(len(matrix)):
            if other != row and matrix[other][column] != 0:
                factor = matrix[other][column]
                matrix[other] = [
                    a - factor * b for a, b in zip(matrix[other], matrix[row], strict=True)
                ]
        pivots.append((row, column))
        row += 1
        if row == len(matrix):
            break
    return pivots


__all__ = [
    "METHODS",
    "NOT_APPLICABLE",
    "SUPPRESSED",
    "UNSUPPRESSED_MARKING",
    "CountTable",
    "DisclosureSettings",
    "Figure",
    "Method",
    "Percent",
    "Position",
    "ProtectedTable",
    "determined_positions",
    "feasible_ranges",
    "percent_of",
    "pinned_positions",
    "protect",
    "round5",
    "suppression_pattern",
]
