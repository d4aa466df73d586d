"""The quarterly funnel in SQL: raw counts for :func:`snt_youth.tracking.report.build_report`.

Runs on SQLite and PostgreSQL, using the screening outcome columns. Every young
person's funnel position is worked out in the database; Python only adds up the few
hundred grouped rows that come back (one per team x gender x ethnic group x age band)
into the separate breakdowns.

Queries, for a quarter Q (start S, end E) and report date R (E' = the earlier of E and R):

* cohort: completed screenings with S <= screened_on <= E', one row per young person
  (per stage, for the stage breakdown): first screening date and whether any found a need;
* offers that count for a cohort member: offered_on from their first screening in the
  quarter up to R (and, for the stage breakdown, made at that stage). Each offer gets a
  level - 1 offered, 2 accepted, 3 attended (a contact, or a session held by R),
  4 completed (ended by R with reason "completed" after attending) - and a young
  person's level is the highest of their offers. Funnel stages need a need identified
  and a level at least as high, so the funnel never rises;
* protective adult: a session held from the first screening up to R in which a
  protective adult was identified;
* support active: accepted offers with started_on (or offered_on) <= E' and ended_on
  empty or >= S, counted once per young person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    case,
    cast,
    distinct,
    exists,
    extract,
    func,
    literal_column,
    or_,
    select,
    true,
)

from snt_youth.store.schema import screenings, sessions, support_offers, young_people
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import ALL, TREND_QUARTERS, UNDER_AGE_BAND, CountRow

COMPLETE = "complete"
ACCEPTED = "accepted"
COMPLETED = "completed"

COHORT_MEASURES = (
    "screened",
    "need_identified",
    "offered",
    "accepted",
    "attended",
    "completed",
    "protective_adult",
)
LEVEL_MEASURES = (("offered", 1), ("accepted", 2), ("attended", 3), ("completed", 4))
PERSON_BREAKDOWNS = ("team", "gender", "ethnicity", "age_band")


def _ymd(column: Any) -> ColumnElement[Any]:
    """A date as the number YYYYMMDD, so whole years of age are (a - b) // 10000."""
    return (
        cast(extract("year", column), Integer) * 10000
        + cast(extract("month", column), Integer) * 100
        + cast(extract("day", column), Integer)
    )


def _age_band(difference: ColumnElement[Any]) -> ColumnElement[Any]:
    """Age band from a YYYYMMDD difference (on-date minus date of birth)."""
    return case(
        (difference < 100000, UNDER_AGE_BAND),
        (difference < 140000, "10-13"),
        (difference < 160000, "14-15"),
        (difference < 180000, "16-17"),
        else_="18+",
    )


class _Period:
    def __init__(self, quarter: Quarter, report_date: dt.date, team: str | None) -> None:
        self.quarter = quarter
        self.start = quarter.start
        self.end = min(quarter.end, report_date)
        self.report_date = report_date
        self.team = team

    def _team_filter(self, person_id: ColumnElement[Any]) -> ColumnElement[bool]:
        if self.team is None:
            return true()
        return person_id.in_(select(young_people.c.id).where(young_people.c.team == self.team))

    # -- cohort ---------------------------------------------------------------
    def cohort(self, *, by_stage: bool) -> CTE:
        s = screenings
        scope: Any = s.c.stage if by_stage else literal_column(f"'{ALL}'")
        group: list[Any] = [s.c.young_person_id, s.c.stage] if by_stage else [s.c.young_person_id]
        stmt = (
            select(
                s.c.young_person_id.label("yp"),
                scope.label("scope"),
                func.min(s.c.screened_on).label("first_on"),
                func.max(case((s.c.need_identified == true(), 1), else_=0)).label("need"),
            )
            .where(
                s.c.status == COMPLETE,
                s.c.screened_on >= self.start,
                s.c.screened_on <= self.end,
                self._team_filter(s.c.young_person_id),
            )
            .group_by(*group)
        )
        return stmt.cte("stage_cohort" if by_stage else "cohort")

    def offer_levels(self, cohort: CTE, *, by_stage: bool, by_kind: bool) -> Any:
        o = support_offers
        attended = or_(
            o.c.contacts > 0,
            exists().where(sessions.c.offer_id == o.c.id, sessions.c.held_on <= self.report_date),
        )
        accepted = o.c.response == ACCEPTED
        level = case(
            (
                and_(
                    accepted,
                    attended,
                    o.c.end_reason == COMPLETED,
                    o.c.ended_on <= self.report_date,
                ),
                4,
            ),
            (and_(accepted, attended), 3),
            (accepted, 2),
            else_=1,
        )
        on = [
            o.c.young_person_id == cohort.c.yp,
            o.c.offered_on >= cohort.c.first_on,
            o.c.offered_on <= self.report_date,
        ]
        if by_stage:
            on.append(o.c.stage == cohort.c.scope)
        columns: list[Any] = [cohort.c.yp, cohort.c.scope]
        if by_kind:
            columns.append(o.c.kind.label("kind"))
        return (
            select(*columns, func.max(level).label("level"))
            .select_from(cohort.join(o, and_(*on)))
            .group_by(*columns)
            .subquery("levels")
        )

    def protective_adult(self, cohort: CTE) -> ColumnElement[bool]:
        ss = sessions
        return exists().where(
            ss.c.young_person_id == cohort.c.yp,
            ss.c.held_on >= cohort.c.first_on,
            ss.c.held_on <= self.report_date,
            ss.c.protective_adult_identified == true(),
        )

    # -- statements -------------------------------------------------------------
    def cohort_statement(self, *, by_stage: bool, by_person: bool) -> Select[Any]:
        """Cohort measures grouped by stage, or by the young person's characteristics."""
        cohort = self.cohort(by_stage=by_stage)
        levels = self.offer_levels(cohort, by_stage=by_stage, by_kind=False)
        level = func.coalesce(levels.c.level, 0)
        need = cohort.c.need
        measures: list[Any] = [
            func.count().label("screened"),
            func.coalesce(func.sum(need), 0).label("need_identified"),
        ]
        for name, threshold in LEVEL_MEASURES:
            measures.append(
                func.coalesce(
                    func.sum(case((and_(need == 1, level >= threshold), 1), else_=0)), 0
                ).label(name)
            )
        measures.append(
            func.coalesce(func.sum(case((self.protective_adult(cohort), 1), else_=0)), 0).label(
                "protective_adult"
            )
        )
        yp = young_people
        groups: list[Any] = []
        if by_stage:
            groups.append(cohort.c.scope.label("stage"))
        if by_person:
            groups += [
                yp.c.team,
                yp.c.gender,
                yp.c.ethnicity,
                _age_band(_ymd(cohort.c.first_on) - _ymd(yp.c.date_of_birth)).label("age_band"),
            ]
        source = cohort.outerjoin(
            levels, and_(levels.c.yp == cohort.c.yp, levels.c.scope == cohort.c.scope)
        )
        if by_person:
            source = source.join(yp, yp.c.id == cohort.c.yp)
        stmt = select(*groups, *measures).select_from(source)
        return stmt.group_by(*groups) if groups else stmt

    def kind_statement(self) -> Select[Any]:
        """Support measures by support type (internal or external)."""
        cohort = self.cohort(by_stage=False)
        levels = self.offer_levels(cohort, by_stage=False, by_kind=True)
        measures = [
            func.sum(
                case((and_(cohort.c.need == 1, levels.c.level >= threshold), 1), else_=0)
            ).label(name)
            for name, threshold in LEVEL_MEASURES
        ]
        return (
            select(levels.c.kind, *measures)
            .select_from(levels.join(cohort, cohort.c.yp == levels.c.yp))
            .group_by(levels.c.kind)
        )

    def _active_offers(self) -> Any:
        o = support_offers
        return and_(
            o.c.response == ACCEPTED,
            o.c.offered_on <= self.report_date,
            func.coalesce(o.c.started_on, o.c.offered_on) <= self.end,
            or_(o.c.ended_on.is_(None), o.c.ended_on >= self.start),
            self._team_filter(o.c.young_person_id),
        )

    def active_by_person(self, *, by_person: bool) -> Select[Any]:
        yp = young_people
        active_ids = select(support_offers.c.young_person_id).where(self._active_offers())
        end = self.quarter.end
        end_ymd = end.year * 10000 + end.month * 100 + end.day
        groups: list[Any] = []
        if by_person:
            groups = [
                yp.c.team,
                yp.c.gender,
                yp.c.ethnicity,
                _age_band(end_ymd - _ymd(yp.c.date_of_birth)).label("age_band"),
            ]
        stmt = select(*groups, func.count().label("active")).where(yp.c.id.in_(active_ids))
        return stmt.group_by(*groups) if groups else stmt

    def active_by(self, column: str) -> Select[Any]:
        o = support_offers
        group = o.c[column]
        return (
            select(group, func.count(distinct(o.c.young_person_id)).label("active"))
            .where(self._active_offers())
            .group_by(group)
        )


def _rows(result: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in result]


def headline_counts(
    conn: Connection, quarter: Quarter, report_date: dt.date, *, team: str | None = None
) -> list[CountRow]:
    """The headline ("all") counts for one quarter: one query for the cohort, one for active."""
    period = _Period(quarter, report_date, team)
    found: list[CountRow] = []
    cohort = _rows(conn.execute(period.cohort_statement(by_stage=False, by_person=False)))
    for measure in COHORT_MEASURES:
        value = int(cohort[0][measure] or 0) if cohort else 0
        found.append(CountRow(quarter, ALL, ALL, measure, value))
    active = _rows(conn.execute(period.active_by_person(by_person=False)))
    found.append(CountRow(quarter, ALL, ALL, "active", int(active[0]["active"]) if active else 0))
    return found


def quarter_counts(
    conn: Connection, quarter: Quarter, report_date: dt.date, *, team: str | None = None
) -> list[CountRow]:
    """Every breakdown for one quarter (six queries; the headline is added up from them)."""
    period = _Period(quarter, report_date, team)
    totals: dict[tuple[str, str, str], int] = defaultdict(int)

    for row in _rows(conn.execute(period.cohort_statement(by_stage=False, by_person=True))):
        for measure in COHORT_MEASURES:
            value = int(row[measure] or 0)
            totals[(ALL, ALL, measure)] += value
            for breakdown in PERSON_BREAKDOWNS:
                totals[(breakdown, str(row[breakdown]), measure)] += value
    for row in _rows(conn.execute(period.active_by_person(by_person=True))):
        value = int(row["active"])
        totals[(ALL, ALL, "active")] += value
        for breakdown in PERSON_BREAKDOWNS:
            totals[(breakdown, str(row[breakdown]), "active")] += value
    for row in _rows(conn.execute(period.cohort_statement(by_stage=True, by_person=False))):
        for measure in COHORT_MEASURES:
            totals[("stage", str(row["stage"]), measure)] += int(row[measure] or 0)
    for row in _rows(conn.execute(period.active_by("stage"))):
        totals[("stage", str(row["stage"]), "active")] += int(row["active"])
    for row in _rows(conn.execute(period.kind_statement())):
        for name, _level in LEVEL_MEASURES:
            totals[("support_type", str(row["kind"]), name)] += int(row[name] or 0)
    for row in _rows(conn.execute(period.active_by("kind"))):
        totals[("support_type", str(row["kind"]), "active")] += int(row["active"])

    if not any(key[0] == ALL for key in totals):
        for measure in (*COHORT_MEASURES, "active"):
            totals[(ALL, ALL, measure)] += 0
    return [CountRow(quarter, b, g, m, v) for (b, g, m), v in totals.items()]


def report_counts(
    conn: Connection,
    quarter: Quarter,
    report_date: dt.date,
    *,
    team: str | None = None,
    trend_quarters: int = TREND_QUARTERS,
) -> list[CountRow]:
    """Raw counts for a full report: every breakdown for ``quarter`` and the headline
    of the quarters before it for the trend, all as at ``report_date``."""
    rows = quarter_counts(conn, quarter, report_date, team=team)
    for earlier in quarter.recent(trend_quarters)[:-1]:
        rows += headline_counts(conn, earlier, report_date, team=team)
    return rows


def quarters_with_data(conn: Connection, *, calendar: bool = False) -> list[Quarter]:
    """Quarters holding at least one completed screening or offer, oldest first."""
    found: set[Quarter] = set()
    for table, column, extra in (
        (screenings, screenings.c.screened_on, screenings.c.status == COMPLETE),
        (support_offers, support_offers.c.offered_on, true()),
    ):
        year = cast(extract("year", column), Integer)
        month = cast(extract("month", column), Integer)
        stmt = select(year.label("y"), month.label("m")).where(extra).group_by(year, month)
        for y, m in conn.execute(stmt.select_from(table)):
            found.add(Quarter.containing(dt.date(int(y), int(m), 1), calendar))
    return sorted(found)


def measures_by_breakdown(rows: Sequence[CountRow]) -> dict[str, dict[str, dict[str, int]]]:
    """Counts as breakdown -> group -> measure -> count (for checks and debugging)."""
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        table[row.breakdown][row.group][row.measure] = row.count
    return {b: {g: dict(m) for g, m in groups.items()} for b, groups in table.items()}


__all__ = [
    "headline_counts",
    "measures_by_breakdown",
    "quarter_counts",
    "quarters_with_data",
    "report_counts",
]
