"""The quarterly report: what was counted, protected for publication.

The SQL layer (``snt_youth.store.funnel``) produces raw counts as :class:`CountRow`
values: one row per (quarter, breakdown, group, measure). :func:`build_report` is a
pure function that turns them into a :class:`QuarterlyReport`, applying disclosure
control to each breakdown table so that the same figure is shown the same way in
every table. Writers (``tracking.exports``, ``printing.report_pdf``) only format.

Cohort method: the cohort of a quarter is the young people with a completed screening
dated in the quarter. What happened to them is counted as at the report date, which
every output shows. Full definitions are in :data:`MEASURES` and docs/quarterly-figures.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from snt_youth.model import Ethnicity, Gender, Stage, SupportKind
from snt_youth.tracking.disclosure import (
    NOT_APPLICABLE,
    CountTable,
    DisclosureSettings,
    Figure,
    Percent,
    ProtectedTable,
    percent_of,
    protect,
)
from snt_youth.tracking.quarters import Quarter

ALL = "all"
ALL_LABEL = "All"
TREND_QUARTERS = 4


@attrs.frozen
class Measure:
    """One figure counted for each group: a funnel stage or a measure alongside it."""

    id: str
    label: str
    definition: str
    funnel: bool = True


MEASURES: tuple[Measure, ...] = (
    Measure(
        "screened",
        "Screened",
        "Young people with at least one completed screening dated in the quarter (the "
        "cohort). Draft screenings are not counted. A young person screened more than "
        "once in the quarter counts once.",
    ),
    Measure(
        "need_identified",
        "Need identified",
        "Screened young people for whom at least one completed screening in the quarter "
        "identified a need: domestic abuse at home (past or ongoing), some concerns or harm "
        "in their own relationship (done to them or by them), or a safety concern now.",
    ),
    Measure(
        "offered",
        "Support offered",
        "Young people with a need identified who were offered support (internal or "
        "external) dated from their first screening in the quarter up to the report date.",
    ),
    Measure(
        "accepted",
        "Support accepted",
        "Young people offered support for whom one of those offers is recorded as accepted.",
    ),
    Measure(
        "attended",
        "Attended at least once",
        "Young people with an accepted offer that has at least one direct-work session "
        "held on or before the report date, or at least one recorded contact.",
    ),
    Measure(
        "completed",
        "Completed",
        "Young people with an attended offer that ended on or before the report date "
        "with the reason 'completed'.",
    ),
    Measure(
        "protective_adult",
        "Protective adult identified",
        "Screened young people with a direct-work session, held from their first "
        "screening in the quarter up to the report date, in which they named at least "
        "one adult who tried to keep them safe.",
        funnel=False,
    ),
    Measure(
        "active",
        "Support active in the quarter",
        "Young people (whether or not screened in the quarter) with accepted support "
        "that had started by the end of the quarter (or the report date, if earlier; the "
        "offer date is used when no start date is recorded) and had not ended before "
        "the quarter began.",
        funnel=False,
    ),
)
MEASURE_IDS: tuple[str, ...] = tuple(m.id for m in MEASURES)
FUNNEL: tuple[str, ...] = tuple(m.id for m in MEASURES if m.funnel)
# Not a subset of the cohort, so never shown as a percentage of it ([z]).
NOT_A_SHARE = frozenset({"active"})
SUPPORT_MEASURES: tuple[str, ...] = ("offered", "accepted", "attended", "completed", "active")

AGE_BANDS: tuple[str, ...] = ("10-13", "14-15", "16-17", "18+")
UNDER_AGE_BAND = "under 10"

COHORT_METHOD = (
    "Cohort method: the cohort for a quarter is every young person with a completed "
    "screening dated in the quarter. What happened to them afterwards is counted as at "
    "the report date, so a later report on the same quarter can show higher figures as "
    "support goes on. Each funnel stage counts only young people who also meet every "
    "stage before it, so the funnel never rises from one stage to the next."
)


@attrs.frozen
class Breakdown:
    """A way of splitting the figures into groups."""

    id: str
    title: str
    groups: tuple[str, ...]
    measures: tuple[str, ...] = MEASURE_IDS
    partition: bool = True  # every young person is in exactly one group
    percent_base: str = "screened"
    note: str = ""


BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown(
        "stage",
        "By stage",
        tuple(s.value for s in Stage),
        partition=False,
        note="A young person screened at both stages in the quarter counts in both rows, so "
        "the rows can add up to more than All. Support counts only offers made at that "
        "stage; support active counts offers made at that stage.",
    ),
    Breakdown(
        "team",
        "By team",
        (),
        note="The young person's team as recorded when the report was run.",
    ),
    Breakdown(
        "support_type",
        "By support type",
        tuple(k.value for k in SupportKind),
        measures=SUPPORT_MEASURES,
        partition=False,
        percent_base="offered",
        note="Counts only offers of that type. A young person with both types counts in "
        "both rows, so the rows can add up to more than All.",
    ),
    Breakdown("gender", "By gender", tuple(g.value for g in Gender)),
    Breakdown("ethnicity", "By ethnic group", tuple(e.value for e in Ethnicity)),
    Breakdown(
        "age_band",
        "By age band",
        AGE_BANDS,
        note="Age on the date of the first completed screening in the quarter; for support "
        "active, age on the last day of the quarter.",
    ),
)
BREAKDOWN_IDS: tuple[str, ...] = (ALL, *(b.id for b in BREAKDOWNS))


@attrs.frozen
class CountRow:
    """One raw count, as the SQL layer produces it. Missing rows count as 0.

    ``breakdown`` is ``"all"`` (with ``group="all"``) for the headline, or an id from
    :data:`BREAKDOWNS`. The trend is simply the ``"all"`` rows of earlier quarters.
    """

    quarter: Quarter
    breakdown: str
    group: str
    measure: str
    count: int


@attrs.frozen
class Cell:
    """One published figure with its percentage of the row's base measure."""

    measure: str
    figure: Figure
    percent: Percent

    @property
    def value(self) -> int | None:
        return self.figure.value

    @property
    def suppressed(self) -> bool:
        return self.figure.suppressed


def _cell_named(cells: tuple[Cell, ...], measure: str) -> Cell:
    for cell in cells:
        if cell.measure == measure:
            return cell
    raise KeyError(measure)


@attrs.frozen
class TableRow:
    group: str
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False

    def cell(self, measure: str) -> Cell:
        return _cell_named(self.cells, measure)


@attrs.frozen
class ReportTable:
    """A breakdown (or the headline) as published: group rows, then the All row."""

    id: str
    title: str
    measures: tuple[str, ...]
    rows: tuple[TableRow, ...]
    partition: bool = True
    percent_base: str = "screened"
    note: str = ""

    @property
    def total(self) -> TableRow:
        return self.rows[-1]

    @property
    def groups(self) -> tuple[TableRow, ...]:
        return tuple(row for row in self.rows if not row.is_total)


@attrs.frozen
class TrendRow:
    quarter: Quarter
    cells: tuple[Cell, ...]

    def cell(self, measure: str) -> Cell:
        return _cell_named(self.cells, measure)


@attrs.frozen
class QuarterlyReport:
    """The quarterly access figures for one quarter, ready for any writer."""

    quarter: Quarter
    report_date: dt.date
    disclosure: DisclosureSettings
    headline: ReportTable
    breakdowns: tuple[ReportTable, ...]
    trend: tuple[TrendRow, ...]
    team: str | None = None
    team_name: str | None = None
    service_name: str = ""

    @property
    def calendar(self) -> bool:
        return self.quarter.calendar

    @property
    def suppressed(self) -> bool:
        """True when disclosure control was applied (False means ``--unsuppressed``)."""
        return self.disclosure.applied

    @property
    def marking(self) -> str | None:
        """``OFFICIAL-SENSITIVE: not for publication`` on unsuppressed output, else None."""
        return self.disclosure.marking

    @property
    def is_empty(self) -> bool:
        """No young person was screened or supported in the quarter."""
        total = self.headline.total
        return all(cell.value == 0 for cell in total.cells)

    @property
    def empty_note(self) -> str | None:
        if not self.is_empty:
            return None
        return (
            f"No young person had a completed screening in {self.quarter}, and none had "
            "support active in it. Every figure is 0."
        )

    @property
    def title(self) -> str:
        scope = f" - {self.team_name or self.team}" if self.team else ""
        return f"Quarterly access figures {self.quarter}{scope}"

    @property
    def period(self) -> str:
        q = self.quarter
        return f"{q.months} ({q.start.isoformat()} to {q.end.isoformat()})"

    @property
    def measures(self) -> tuple[Measure, ...]:
        return MEASURES

    @property
    def tables(self) -> tuple[ReportTable, ...]:
        """The headline then every breakdown."""
        return (self.headline, *self.breakdowns)

    def table(self, table_id: str) -> ReportTable:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)


def measure(measure_id: str) -> Measure:
    for item in MEASURES:
        if item.id == measure_id:
            return item
    raise KeyError(measure_id)


def age_band(age: int) -> str:
    """The reporting age band for an age in whole years."""
    if age < 10:
        return UNDER_AGE_BAND
    if age <= 13:
        return "10-13"
    if age <= 15:
        return "14-15"
    if age <= 17:
        return "16-17"
    return "18+"


# -- building ---------------------------------------------------------------

Counts = dict[tuple[str, str, str], int]  # (breakdown, group, measure) -> count


def _index(rows: Iterable[CountRow], quarter: Quarter) -> tuple[Counts, dict[Quarter, Counts]]:
    current: Counts = {}
    others: dict[Quarter, Counts] = {}
    for row in rows:
        if row.count < 0:
            raise ValueError(f"a count cannot be negative: {row}")
        target = current if row.quarter == quarter else others.setdefault(row.quarter, {})
        key = (row.breakdown, row.group, row.measure)
        target[key] = target.get(key, 0) + row.count
    return current, others


def _groups_for(
    breakdown: Breakdown, counts: Counts, teams: Sequence[tuple[str, str]], team: str | None
) -> tuple[tuple[str, str], ...]:
    """(group id, label) pairs: the expected groups, then any others found, sorted."""
    if breakdown.id == "team":
        expected = [(tid, name) for tid, name in teams if team is None or tid == team]
    else:
        expected = [(g, g) for g in breakdown.groups]
    if breakdown.id == "age_band" and any(
        k[0] == "age_band" and k[1] == UNDER_AGE_BAND and v for k, v in counts.items()
    ):
        expected.insert(0, (UNDER_AGE_BAND, UNDER_AGE_BAND))
    known = {g for g, _ in expected}
    extra = sorted(
        {g for (b, g, _m), v in counts.items() if b == breakdown.id and g not in known and v}
    )
    return (*expected, *((g, g) for g in extra))


def _headline_counts(counts: Counts, measures: Sequence[str]) -> tuple[int, ...]:
    return tuple(counts.get((ALL, ALL, m), 0) for m in measures)


def build_report(
    counts: Iterable[CountRow],
    *,
    quarter: Quarter,
    report_date: dt.date,
    disclosure: DisclosureSettings,
    teams: Sequence[tuple[str, str]] = (),
    team: str | None = None,
    service_name: str = "",
    trend_quarters: int = TREND_QUARTERS,
    hide: Collection[tuple[str, str, str, str]] = (),
) -> QuarterlyReport:
    """Protect raw counts and shape them into a report.

    ``teams`` is the service's (id, name) pairs in configuration order; with ``team``
    the report covers that team only. Disclosure control is applied per breakdown
    table, with each table's All row as published column totals. A total that any
    table has to suppress is suppressed in every table and in the headline, so no
    table gives away what another hides.

    ``hide`` forces figures to be suppressed as (quarter, breakdown, group, measure),
    breakdown and group ``"all"`` for a headline or trend figure: the joint check of
    a publication (``tracking.publication``) uses it for secondary suppression.
    """
    current, others = _index(counts, quarter)
    here = str(quarter)
    hidden_cells = {(b, g, m) for q, b, g, m in hide if q == here and b != ALL}
    plans: list[tuple[Breakdown, tuple[tuple[str, str], ...], CountTable]] = []
    for breakdown in BREAKDOWNS:
        groups = _groups_for(breakdown, current, teams, team)
        cells = tuple(
            tuple(current.get((breakdown.id, g, m), 0) for m in breakdown.measures)
            for g, _label in groups
        )
        totals = _headline_counts(current, breakdown.measures)
        plans.append((breakdown, groups, CountTable(cells, column_totals=totals)))

    # measures whose All figure must be suppressed everywhere
    forced: set[str] = {m for q, b, _g, m in hide if q == here and b == ALL}
    while True:
        protected = [
            protect(
                table,
                disclosure,
                also_suppress=[
                    *((-1, i) for i, m in enumerate(b.measures) if m in forced),
                    *(
                        (r, i)
                        for r, (g, _label) in enumerate(groups)
                        for i, m in enumerate(b.measures)
                        if (b.id, g, m) in hidden_cells
                    ),
                ],
            )
            for b, groups, table in plans
        ]
        newly = {
            b.measures[i]
            for (b, _g, _t), p in zip(plans, protected, strict=True)
            for i, fig in enumerate(p.column_totals or ())
            if fig.suppressed and b.measures[i] not in forced
        }
        if not newly:
            break
        forced |= newly

    headline_table = CountTable((_headline_counts(current, MEASURE_IDS),))
    headline_protected = protect(
        headline_table,
        disclosure,
        also_suppress=[(0, i) for i, m in enumerate(MEASURE_IDS) if m in forced],
    )
    headline_figures = headline_protected.cells[0]
    headline = ReportTable(
        ALL,
        "All young people",
        MEASURE_IDS,
        (_row(ALL, ALL_LABEL, MEASURE_IDS, headline_figures, "screened", is_total=True),),
    )
    by_measure = dict(zip(MEASURE_IDS, headline_figures, strict=True))

    tables: list[ReportTable] = []
    for (breakdown, groups, _table), result in zip(plans, protected, strict=True):
        tables.append(_report_table(breakdown, groups, result, by_measure))

    trend_hide = {(q, m) for q, b, _g, m in hide if q != here and b == ALL}
    trend = _trend(
        quarter, current, others, disclosure, headline_figures, trend_quarters, trend_hide
    )
    team_name = dict(teams).get(team) if team else None
    return QuarterlyReport(
        quarter=quarter,
        report_date=report_date,
        disclosure=disclosure,
        headline=headline,
        breakdowns=tuple(tables),
        trend=trend,
        team=team,
        team_name=team_name,
        service_name=service_name,
    )


def _cells(
    measures: Sequence[str], figures: Sequence[Figure], base_measure: str
) -> tuple[Cell, ...]:
    by_measure = dict(zip(measures, figures, strict=True))
    base = by_measure.get(base_measure, Figure(0))
    return tuple(
        Cell(
            m,
            fig,
            percent_of(fig, base) if m not in NOT_A_SHARE else Percent(None, NOT_APPLICABLE),
        )
        for m, fig in zip(measures, figures, strict=True)
    )


def _row(
    group: str,
    label: str,
    measures: Sequence[str],
    figures: Sequence[Figure],
    base: str,
    *,
    is_total: bool = False,
) -> TableRow:
    return TableRow(group, label, _cells(measures, figures, base), is_total)


def _report_table(
    breakdown: Breakdown,
    groups: Sequence[tuple[str, str]],
    result: ProtectedTable,
    headline: Mapping[str, Figure],
) -> ReportTable:
    rows = [
        _row(group, label, breakdown.measures, figures, breakdown.percent_base)
        for (group, label), figures in zip(groups, result.cells, strict=True)
    ]
    # The All row repeats the headline, so it is shown exactly as the headline is.
    total_figures = [headline[m] for m in breakdown.measures]
    rows.append(
        _row(
            ALL, ALL_LABEL, breakdown.measures, total_figures, breakdown.percent_base, is_total=True
        )
    )
    return ReportTable(
        breakdown.id,
        breakdown.title,
        breakdown.measures,
        tuple(rows),
        breakdown.partition,
        breakdown.percent_base,
        breakdown.note,
    )


def _trend(
    quarter: Quarter,
    current: Counts,
    others: Mapping[Quarter, Counts],
    disclosure: DisclosureSettings,
    headline_figures: Sequence[Figure],
    count: int,
    hide: Collection[tuple[str, str]] = (),
) -> tuple[TrendRow, ...]:
    rows: list[TrendRow] = []
    for q in quarter.recent(count):
        if q == quarter:
            figures: Sequence[Figure] = headline_figures
        else:
            values = _headline_counts(others.get(q, {}), MEASURE_IDS)
            hidden = [(0, i) for i, m in enumerate(MEASURE_IDS) if (str(q), m) in hide]
            figures = protect(CountTable((values,)), disclosure, also_suppress=hidden).cells[0]
        rows.append(TrendRow(q, _cells(MEASURE_IDS, figures, "screened")))
    return tuple(rows)


__all__ = [
    "ALL",
    "BREAKDOWNS",
    "BREAKDOWN_IDS",
    "COHORT_METHOD",
    "FUNNEL",
    "MEASURES",
    "MEASURE_IDS",
    "TREND_QUARTERS",
    "Breakdown",
    "Cell",
    "CountRow",
    "Measure",
    "QuarterlyReport",
    "ReportTable",
    "TableRow",
    "TrendRow",
    "age_band",
    "build_report",
    "measure",
]
