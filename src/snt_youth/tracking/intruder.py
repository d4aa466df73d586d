"""The intruder check: what someone with a linear-programming solver could work out
from everything that was published.

An intruder holds a set of published reports (the service report, team reports, the
trend rows, an earlier release of the same quarter). Every figure in them is a count
of young people, and the intruder knows how the counts fit together:

* every published figure;
* a suppressed figure (``[c]``) is at least 1, because zeros are always shown;
* partition tables (team, gender, ethnic group, age band) add up to their All row;
* the two rows of an overlapping table (stage, support type) add up to All once the
  hidden "both" region (young people in both rows) is taken off;
* funnel stages never rise along a row;
* a team's report repeats its row of the service report, and teams add up to the
  service across every table and the trend.

:func:`model_of` turns reports into that linear system; :func:`examine` asks, for
every suppressed figure and every hidden region, the least and greatest value the
system allows (scipy's HiGHS, two solves per unknown). A figure is **disclosed** when
it is placed within 1..threshold for certain, or a suppressed figure is found
exactly. Pure: no database, no files.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    from snt_youth.tracking.report import QuarterlyReport

SERVICE = "service"
BOTH = "both"
# A quantity: (quarter, report date, population, table, group, measure). Population is
# "service" or a team id; the All row of any table has table "all" and group "all".
Key = tuple[str, str, str, str, str, str]
Sense = Literal["eq", "le"]

_FUNNEL = ("screened", "need_identified", "offered", "accepted", "attended", "completed")
_OVERLAPS = {"stage", "support_type"}
# Overlap measures where the rows' union is exactly the All row; for the others the
# union is only contained in it (a stage row counts only offers made at that stage).
_EXACT_UNION = {
    "stage": {"screened", "need_identified", "active"},
    "support_type": {"offered", "accepted", "attended", "completed", "active"},
}
_EPS = 1e-6


@attrs.define
class Model:
    """The intruder's linear system: bounds per quantity and sum constraints.

    Each constraint is (coefficients, sense): sum(coef * x) == 0 or <= 0.
    """

    bounds: dict[Key, tuple[int, int | None]] = attrs.Factory(dict)
    suppressed: set[Key] = attrs.Factory(set)
    regions: set[Key] = attrs.Factory(set)
    constraints: list[tuple[dict[Key, int], Sense]] = attrs.Factory(list)
    threshold: int = 5

    def add(self, coefficients: dict[Key, int], sense: Sense) -> None:
        terms = {k: c for k, c in coefficients.items() if c}
        if terms:
            self.constraints.append((terms, sense))

    def unknowns(self) -> set[Key]:
        return {k for k, (lo, hi) in self.bounds.items() if hi is None or lo != hi}


@attrs.frozen
class Finding:
    """What the intruder proved about one suppressed figure or hidden region."""

    key: Key
    low: int
    high: int | None  # None: no upper limit
    region: bool
    threshold: int

    @property
    def disclosed(self) -> bool:
        in_range = self.low >= 1 and self.high is not None and self.high <= self.threshold
        exact = not self.region and self.high is not None and self.low >= self.high
        return in_range or exact

    @property
    def where(self) -> str:
        return describe(self.key)

    def interval(self) -> str:
        return f"{self.low}..{'∞' if self.high is None else self.high}"


@attrs.frozen
class Examination:
    """Every finding, and whether the published figures fit together at all."""

    findings: tuple[Finding, ...]
    consistent: bool = True

    @property
    def disclosed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.disclosed)


def describe(key: Key) -> str:
    """A key in words: 'ISS 2025-26 Q4 (as at 2026-05-01), need identified, by stage: both'."""
    from snt_youth.tracking.report import measure

    quarter, as_at, population, table, group, measure_id = key
    who = "service" if population == SERVICE else f"team {population}"
    where = "All" if table == "all" else f"{table.replace('_', ' ')} {group}"
    label = measure(measure_id).label.lower()
    return f"{quarter} as at {as_at}, {who}, {where}: {label}"


# -- building the system ------------------------------------------------------------
def _key_for(report: QuarterlyReport, table: str, group: str, measure_id: str) -> Key:
    population = report.team or SERVICE
    q, as_at = str(report.quarter), report.report_date.isoformat()
    if table == "team" and (report.team is None or group == report.team):
        return (q, as_at, group, "all", "all", measure_id)
    return (q, as_at, population, table, group, measure_id)


def _published_bounds(value: int, method: str, threshold: int) -> tuple[int, int]:
    if method != "round5" or value == 0:
        return (value, value)
    first = (threshold // 5 + 1) * 5
    low = threshold + 1 if value == first else value - 2
    return (max(low, threshold + 1), value + 2)


def model_of(reports: Sequence[QuarterlyReport]) -> Model:
    """The intruder's linear system for a set of published reports."""
    model = Model(threshold=max((r.disclosure.threshold for r in reports), default=5))
    # frame (quarter, date, population) -> table -> groups -> measures published
    frames: dict[tuple[str, str, str], dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    service_teams: dict[tuple[str, str], set[str]] = {}
    reported: set[tuple[str, str, str]] = set()  # frames that have a report of their own

    def record(key: Key, value: int | None, method: str, threshold: int) -> None:
        frames[key[:3]][key[3]][key[4]].add(key[5])
        if value is None:
            bound: tuple[int, int | None] = (1, None)
            model.suppressed.add(key)
        else:
            bound = _published_bounds(value, method, threshold)
        old = model.bounds.get(key)
        if old is not None:
            lo = max(old[0], bound[0])
            his = [h for h in (old[1], bound[1]) if h is not None]
            bound = (lo, min(his) if his else None)
        model.bounds[key] = bound

    for report in reports:
        d = report.disclosure
        method = d.method if d.applied else "exact"
        as_at = report.report_date.isoformat()
        reported.add((str(report.quarter), as_at, report.team or SERVICE))
        reported.update((str(t.quarter), as_at, report.team or SERVICE) for t in report.trend)
        for table in report.tables:
            for row in table.rows:
                table_id = "all" if (row.is_total or table.id == "all") else table.id
                group = "all" if table_id == "all" else row.group
                for cell in row.cells:
                    key = _key_for(report, table_id, group, cell.measure)
                    record(key, cell.value, method, d.threshold)
            if table.id == "team" and report.team is None:
                groups = {row.group for row in table.groups}
                service_teams[(str(report.quarter), report.report_date.isoformat())] = groups
        for trend in report.trend:
            q = (str(trend.quarter), report.report_date.isoformat(), report.team or SERVICE)
            for cell in trend.cells:
                record((*q, "all", "all", cell.measure), cell.value, method, d.threshold)

    for frame, tables in frames.items():
        _frame_constraints(model, frame, tables, service_teams)
    _team_sums(model, frames, service_teams, reported)
    return model


Frame = tuple[str, str, str]  # (quarter, report date, population)


def _key(frame: Frame, table: str, group: str, measure_id: str) -> Key:
    return (frame[0], frame[1], frame[2], table, group, measure_id)


def _row_order(model: Model, frame: Frame, table: str, group: str, measures: set[str]) -> None:
    """Funnel stages never rise along a row; protective adult is within screened."""
    present = [m for m in _FUNNEL if m in measures]
    for earlier, later in itertools.pairwise(present):
        model.add(
            {_key(frame, table, group, later): 1, _key(frame, table, group, earlier): -1}, "le"
        )
    if "protective_adult" in measures and "screened" in measures:
        protective = _key(frame, table, group, "protective_adult")
        model.add({protective: 1, _key(frame, table, group, "screened"): -1}, "le")


def _frame_constraints(
    model: Model,
    frame: tuple[str, str, str],
    tables: dict[str, dict[str, set[str]]],
    service_teams: dict[tuple[str, str], set[str]],
) -> None:
    for table, groups in tables.items():
        for group, measures in groups.items():
            _row_order(model, frame, table, group, measures)
    quarter, as_at, population = frame
    for table, groups in tables.items():
        if table == "all":
            continue
        rows = [g for g in groups if g != BOTH]
        measures = set().union(*groups.values())
        for m in measures:
            total = _key(frame, "all", "all", m)
            parts = [_key(frame, table, g, m) for g in rows if m in groups[g]]
            if table in _OVERLAPS and len(rows) == 2:
                both = _key(frame, table, BOTH, m)
                model.bounds.setdefault(both, (0, None))
                model.regions.add(both)
                coefficients = {p: 1 for p in parts}
                coefficients[both] = -1
                coefficients[total] = coefficients.get(total, 0) - 1
                model.add(coefficients, "eq" if m in _EXACT_UNION[table] else "le")
                for p in parts:
                    model.add({both: 1, p: -1}, "le")
            elif table in _OVERLAPS:
                for p in parts:
                    model.add({p: 1, total: -1}, "le")
            else:
                coefficients = defaultdict(int, {p: 1 for p in parts})
                coefficients[total] -= 1
                model.add(dict(coefficients), "eq")
        if table in _OVERLAPS and len(rows) == 2:
            _row_order(model, frame, table, BOTH, measures)
    if population == SERVICE and (quarter, as_at) in service_teams:
        teams = service_teams[(quarter, as_at)]
        for m in tables.get("all", {}).get("all", set()):
            sums: dict[Key, int] = {(quarter, as_at, t, "all", "all", m): 1 for t in teams}
            total = _key(frame, "all", "all", m)
            sums[total] = sums.get(total, 0) - 1
            model.add(sums, "eq")


def _team_sums(
    model: Model,
    frames: dict[tuple[str, str, str], dict[str, dict[str, set[str]]]],
    service_teams: dict[tuple[str, str], set[str]],
    reported: set[tuple[str, str, str]],
) -> None:
    """Teams add up to the service in every table (equal when every team is published)."""
    for (quarter, as_at, population), tables in frames.items():
        if population != SERVICE:
            continue
        published = {p for (q, a, p) in reported if (q, a) == (quarter, as_at) and p != SERVICE}
        if not published:
            continue
        teams = service_teams.get((quarter, as_at))
        sense: Sense = "eq" if teams is not None and teams <= published else "le"
        for table, groups in tables.items():
            if table in ("all", "team"):
                continue  # the All rows are tied by the team table
            for group, measures in groups.items():
                for m in measures:
                    coefficients: dict[Key, int] = {
                        (quarter, as_at, t, table, group, m): 1
                        for t in published
                        if (quarter, as_at, t, table, group, m) in model.bounds
                    }
                    coefficients[(quarter, as_at, SERVICE, table, group, m)] = -1
                    model.add(coefficients, sense)
        if teams is None:
            # A trend quarter: only the All rows are published for each population. The
            # teams are those of the current quarter's team table at the same date.
            current = [t for (q, a), t in service_teams.items() if a == as_at]
            sense = "eq" if current and all(t <= published for t in current) else "le"
            for m in tables.get("all", {}).get("all", set()):
                coefficients = {
                    (quarter, as_at, t, "all", "all", m): 1
                    for t in published
                    if (quarter, as_at, t, "all", "all", m) in model.bounds
                }
                coefficients[(quarter, as_at, SERVICE, "all", "all", m)] = -1
                model.add(coefficients, sense)


# -- solving -------------------------------------------------------------------------
def _components(model: Model, unknowns: set[Key]) -> list[tuple[list[Key], list[int]]]:
    """Unknowns grouped by the constraints that link them: (unknowns, constraint indexes)."""
    parent: dict[Key, Key] = {k: k for k in unknowns}

    def find(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for terms, _sense in model.constraints:
        linked = [k for k in terms if k in unknowns]
        for other in linked[1:]:
            a, b = find(linked[0]), find(other)
            if a != b:
                parent[a] = b
    members: dict[Key, list[Key]] = defaultdict(list)
    for k in sorted(unknowns):
        members[find(k)].append(k)
    rows: dict[Key, list[int]] = defaultdict(list)
    for index, (terms, _sense) in enumerate(model.constraints):
        linked = [k for k in terms if k in unknowns]
        if linked:
            rows[find(linked[0])].append(index)
    return [(members[root], rows[root]) for root in sorted(members)]


def _solve_component(
    model: Model, keys: list[Key], rows: list[int], *, exact: bool
) -> dict[Key, tuple[int, int | None]] | None:
    """Least and greatest value of every unknown in one component (None: infeasible).

    With ``exact=False`` an unknown is left with a wide, proved-safe interval as soon
    as some consistent table shows it is not disclosed (it can be 0 for a region, or
    above the threshold), which saves most of the solves.
    """
    import numpy as np
    from scipy.optimize import linprog  # type: ignore[import-untyped]
    from scipy.sparse import csr_array  # type: ignore[import-untyped]

    index = {k: i for i, k in enumerate(keys)}
    parts: dict[Sense, tuple[list[float], list[int], list[int], list[float]]] = {
        "eq": ([], [], [], []),
        "le": ([], [], [], []),
    }
    for r in rows:
        terms, sense = model.constraints[r]
        data, cols, rws, rhs = parts[sense]
        constant = 0.0
        for k, c in terms.items():
            if k in index:
                data.append(float(c))
                cols.append(index[k])
                rws.append(len(rhs))
            else:
                constant += c * model.bounds[k][0]
        rhs.append(-constant)

    def matrix(sense: Sense) -> tuple[Any, Any]:
        data, cols, rws, rhs = parts[sense]
        if not rhs:
            return None, None
        return csr_array((data, (rws, cols)), shape=(len(rhs), len(keys))), np.array(rhs)

    a_ub, b_ub = matrix("le")
    a_eq, b_eq = matrix("eq")
    bounds = [(model.bounds[k][0], model.bounds[k][1]) for k in keys]
    seen_low = [math.inf] * len(keys)
    seen_high = [-math.inf] * len(keys)

    def solve(objective: Any) -> Any:
        result = linprog(
            objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
        )
        if result.status == 0:
            for i, value in enumerate(result.x):
                seen_low[i] = min(seen_low[i], value)
                seen_high[i] = max(seen_high[i], value)
        return result

    threshold = model.threshold

    def cleared(i: int) -> bool:
        # Two consistent tables, one above the threshold (or a region at 0), prove
        # the figure is neither placed in 1..threshold nor found exactly.
        if exact:
            return False
        if keys[i] in model.regions:
            return seen_low[i] < 0.5 or seen_high[i] > threshold + 0.5
        return seen_high[i] > threshold + 0.5 and seen_high[i] - seen_low[i] > 0.5

    first = solve(-np.ones(len(keys)))
    if first.status == 2:
        return None
    if not exact:
        solve(np.ones(len(keys)))
    found: dict[Key, tuple[int, int | None]] = {}
    for i, k in enumerate(keys):
        objective = np.zeros(len(keys))
        objective[i] = 1.0
        if not cleared(i):
            high = solve(-objective)
        if cleared(i):
            found[k] = (max(model.bounds[k][0], math.ceil(seen_low[i] - _EPS)), None)
            continue
        low = solve(objective)
        lo = math.ceil(low.fun - _EPS) if low.status == 0 else model.bounds[k][0]
        hi = math.floor(-high.fun + _EPS) if high.status == 0 else None
        found[k] = (lo, hi)
    return found


def examine(model: Model, *, exact: bool = True) -> Examination:
    """The least and greatest value of every suppressed figure and hidden region.

    ``exact=False`` is the quick check used while protecting: a figure shown to be safe
    gets the interval (lowest bound, no limit) instead of its exact interval.
    """
    unknowns = model.unknowns()
    findings: list[Finding] = []
    consistent = True
    for keys, rows in _components(model, unknowns):
        solved = _solve_component(model, keys, rows, exact=exact)
        if solved is None:
            consistent = False
            continue
        for k, (lo, hi) in solved.items():
            if k in model.suppressed or k in model.regions:
                findings.append(Finding(k, lo, hi, k in model.regions, model.threshold))
    # A figure suppressed in one place but published in another is recovered exactly.
    for k in model.suppressed - unknowns:
        lo, hi = model.bounds[k]
        findings.append(Finding(k, lo, hi, False, model.threshold))
    return Examination(tuple(sorted(findings, key=lambda f: f.key)), consistent)


def check(reports: Sequence[QuarterlyReport], *, exact: bool = True) -> Examination:
    """Examine a set of published reports as an intruder would."""
    return examine(model_of(reports), exact=exact)


def neighbours(model: Model, keys: Iterable[Key]) -> set[Key]:
    """Quantities sharing a constraint with any of ``keys``."""
    wanted = set(keys)
    found: set[Key] = set()
    for terms, _sense in model.constraints:
        if wanted.intersection(terms):
            found.update(terms)
    return found - wanted


__all__ = [
    "BOTH",
    "SERVICE",
    "Examination",
    "Finding",
    "Key",
    "Model",
    "check",
    "describe",
    "examine",
    "model_of",
    "neighbours",
]
