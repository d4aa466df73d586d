"""The quarterly funnel in SQL: raw counts for :func:`snt_youth.tracking.report.build_report`.

Runs on SQLite and PostgreSQL, using the screening outcome columns. Every young
person's funnel position is worked out in the database; Python only adds up the few
hundred grouped rows that come back (one per team x gender x ethnic group x age band,
one per stage and one per support type) into the separate breakdowns.

For a quarter Q (start S, end E) and report date R (E' = the earlier of E and R):

* cohort: completed screenings with S <= screened_on <= E', one row per young person
  (per stage, for the stage breakdown): first screening date and whether any found a
  need (a covering index on screenings serves this);
* persons: each cohort row joined to its counting offers - offered_on from the row's
  first screening up to R, only with a need identified (for a stage row: made at that
  stage) - and grouped back to one row, with the highest offer level: 1 offered,
  2 accepted, 3 attended (a contact, or a session held by R), 4 completed (ended by R
  with reason "completed" after attending). Funnel stages need a level at least as
  high, so the funnel never rises. The row also carries the date of the young
  person's last session held by R with a protective adult identified (one index
  probe); "protective adult" is that date being on or after the first screening;
* support active: accepted offers with started_on (or offered_on) <= E' and ended_on
  empty or >= S, counted once per young person (per stage, per type).

A quarter's breakdowns are two statements (cohort measures, support active), each a
UNION ALL of its groupings; a trend quarter's headline is one statement. Derived row
sets are only ever joined to indexed tables, never to each other, so PostgreSQL's row
estimates for them cannot lead it into a nested loop over two large sets.
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
    String,
    and_,
    case,
    cast,
    distinct,
    exists,
    extract,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from snt_youth import model
from snt_youth.store.schema import screenings, sessions, support_offers, young_people
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import ALL, TREND_QUARTERS, UNDER_AGE_BAND, CountRow

COMPLETE = model.ScreeningStatus.COMPLETE.value
ACCEPTED = model.OfferResponse.ACCEPTED.value
COMPLETED = model.EndReason.COMPLETED.value

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
# Lower age limits of the bands after "under 10", youngest first.
AGE_BANDS = ((10, "10-13"), (14, "14-15"), (16, "16-17"), (18, "18+"))
# Breakdown ids of the rows the statements return (besides the person breakdowns).
STAGE = "stage"
SUPPORT_TYPE = "support_type"


class _Ymd(FunctionElement[int]):
    """A date as the number YYYYMMDD, so whole years of age are (a - b) // 10000."""

    type = Integer()
    name = "ymd"
    inherit_cache = True


@compiles(_Ymd)
def _ymd_default(element: _Ymd, compiler: SQLCompiler, **kw: Any) -> str:
    # Plain text, not bound parameters, so the expression compiles the same each time
    # it appears (PostgreSQL matches GROUP BY expressions to the select list).
    (column,) = element.clauses
    date = compiler.process(column, **kw)
    parts = [
        f"CAST(EXTRACT({field} FROM {date}) AS INTEGER) * {scale}"
        for field, scale in (("YEAR", 10000), ("MONTH", 100), ("DAY", 1))
    ]
    return f"({' + '.join(parts)})"


@compiles(_Ymd, "sqlite")
def _ymd_sqlite(element: _Ymd, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps dates as 'YYYY-MM-DD' text: dropping the dashes is several times
    # cheaper than three strftime calls.
    (column,) = element.clauses
    return f"CAST(REPLACE({compiler.process(column, **kw)}, '-', '') AS INTEGER)"


def _age_band(difference: ColumnElement[Any]) -> ColumnElement[Any]:
    """Age band from a YYYYMMDD difference (on-date minus date of birth)."""
    return case(
        (difference < 100000, UNDER_AGE_BAND),
        *((difference < next_age * 10000, band) for (next_age, _), (_, band) in _band_pairs()),
        else_=AGE_BANDS[-1][1],
    )


def _band_pairs() -> list[tuple[tuple[int, str], tuple[int, str]]]:
    """(next band, this band) for every band but the last: 10-13 runs below 14, ..."""
    return list(zip(AGE_BANDS[1:], AGE_BANDS[:-1], strict=True))


def _years_before(on: dt.date, years: int) -> dt.date:
    """The latest date of birth giving an age of at least ``years`` on ``on``."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a year that has none
        return dt.date(on.year - years, 2, 28)


def _age_band_on(on: dt.date, date_of_birth: ColumnElement[Any]) -> ColumnElement[Any]:
    """Age band on a fixed date, by comparing the date of birth with fixed dates."""
    return case(
        (date_of_birth > _years_before(on, AGE_BANDS[0][0]), UNDER_AGE_BAND),
        *(
            (date_of_birth > _years_before(on, next_age), band)
            for (next_age, _), (_, band) in _band_pairs()
        ),
        else_=AGE_BANDS[-1][1],
    )


def _text(value: str | None) -> ColumnElement[Any]:
    return cast(null(), String) if value is None else literal(value, String)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


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

    # -- per-person rows ---------------------------------------------------------
    def _screened(self, *columns: Any) -> Select[Any]:
        s = screenings
        return (
            select(
                s.c.young_person_id.label("yp"),
                *columns,
                func.min(s.c.screened_on).label("first_on"),
                func.max(case((s.c.need_identified == true(), 1), else_=0)).label("need"),
            )
            .where(
                s.c.status == COMPLETE,
                s.c.screened_on >= self.start,
                s.c.screened_on <= self.end,
                self._team_filter(s.c.young_person_id),
            )
            .group_by(s.c.young_person_id, *columns)
        )

    def _protective_on(self, person_id: ColumnElement[Any]) -> Any:
        """The young person's last session held by R in which a protective adult was
        identified (a single index probe)."""
        ss = sessions
        return (
            select(func.max(ss.c.held_on))
            .where(
                ss.c.young_person_id == person_id,
                ss.c.protective_adult_identified == true(),
                ss.c.held_on <= self.report_date,
            )
            .scalar_subquery()
        )

    def stage_cohort(self) -> CTE:
        """One row per young person and stage screened in the quarter."""
        return self._screened(screenings.c.stage.label("stage")).cte("stage_cohort")

    def cohort(self, stage_cohort: CTE | None = None) -> CTE:
        """One row per young person screened in the quarter (from ``stage_cohort`` if
        given): first screening in the quarter, and whether any found a need."""
        if stage_cohort is None:
            return self._screened().cte("cohort")
        sc = stage_cohort
        return (
            select(
                sc.c.yp,
                func.min(sc.c.first_on).label("first_on"),
                func.max(sc.c.need).label("need"),
            )
            .group_by(sc.c.yp)
            .cte("cohort")
        )

    def _level(self) -> ColumnElement[Any]:
        """An offer's level: 1 offered, 2 accepted, 3 attended, 4 completed."""
        o = support_offers
        attended = or_(
            o.c.contacts > 0,
            exists().where(sessions.c.offer_id == o.c.id, sessions.c.held_on <= self.report_date),
        )
        return case(
            (o.c.response != ACCEPTED, 1),
            (~attended, 2),
            (and_(o.c.end_reason == COMPLETED, o.c.ended_on <= self.report_date), 4),
            else_=3,
        )

    def _counting_offers(self, people: CTE, *, by_stage: bool) -> ColumnElement[bool]:
        """Offers counting for a cohort row: from its first screening up to R, only with
        a need identified (and for a stage row, made at that stage)."""
        o = support_offers
        on = [
            o.c.young_person_id == people.c.yp,
            o.c.offered_on >= people.c.first_on,
            o.c.offered_on <= self.report_date,
        ]
        if by_stage:
            on.append(o.c.stage == people.c.stage)
        return and_(*on)

    def persons(self, people: CTE, *, by_stage: bool = False) -> Any:
        """Cohort rows (one per young person, or per young person and stage) with their
        level - the highest level of their counting offers, NULL if none - and the date
        of their last protective-adult session held by R.

        Both are index probes in the select list of a grouped query, so they are worked
        out once per row (SQLite would otherwise copy them into every measure), and no
        derived row set is ever joined to another (PostgreSQL cannot estimate those).
        """
        keys = [people.c.yp, people.c.first_on, people.c.need]
        if by_stage:
            keys.insert(1, people.c.stage)
        level = (
            select(func.max(self._level()))
            .where(self._counting_offers(people, by_stage=by_stage))
            .scalar_subquery()
        )
        return (
            select(
                *keys,
                case((people.c.need == 1, level)).label("level"),
                self._protective_on(people.c.yp).label("protective_on"),
            )
            .group_by(*keys)
            .subquery("persons")
        )

    @staticmethod
    def _measures(
        need: ColumnElement[Any] | None,
        level: ColumnElement[Any] | None,
        protective: ColumnElement[bool] | None,
    ) -> list[Any]:
        """The cohort measure columns; ``None`` gives a column of zeros."""
        zero = literal(0, Integer)
        out: list[Any] = [
            (func.count() if need is not None else zero).label("screened"),
            (func.coalesce(func.sum(need), 0) if need is not None else zero).label(
                "need_identified"
            ),
        ]
        for name, threshold in LEVEL_MEASURES:
            # Offers count only with a need, so a level implies a need.
            value = _count_if(func.coalesce(level, 0) >= threshold) if level is not None else zero
            out.append(value.label(name))
        value = _count_if(protective) if protective is not None else zero
        out.append(value.label("protective_adult"))
        return out

    @classmethod
    def _person_measures(cls, persons: Any) -> list[Any]:
        return cls._measures(
            persons.c.need, persons.c.level, persons.c.protective_on >= persons.c.first_on
        )

    # -- statements -------------------------------------------------------------
    def headline_statement(self) -> Select[Any]:
        """The headline: every cohort measure and support active, in one row."""
        persons = self.persons(self.cohort())
        return select(*self._person_measures(persons), self.active_count().label("active"))

    def breakdown_statement(self) -> Any:
        """Cohort measures by person characteristics, by stage and by support type.

        Rows: breakdown ("all", "stage" or "support_type"), group, team, gender,
        ethnicity, age_band, then the measures. The "all" rows are grouped by the
        young person's characteristics and add up to the headline. Every join is of
        a cohort row set to an indexed table, never of two derived row sets.
        """
        stage_cohort = self.stage_cohort()
        cohort = self.cohort(stage_cohort)
        yp = young_people

        persons = self.persons(cohort)
        age = _age_band(_Ymd(persons.c.first_on) - _Ymd(yp.c.date_of_birth))
        person = [yp.c.team, yp.c.gender, yp.c.ethnicity, age.label("age_band")]
        by_person = (
            select(
                _text(ALL).label("breakdown"),
                _text(ALL).label("grp"),
                *person,
                *self._person_measures(persons),
            )
            .select_from(persons.join(yp, yp.c.id == persons.c.yp))
            .group_by(*person)
        )

        nothing = [_text(None)] * len(person)
        staged = self.persons(stage_cohort, by_stage=True)
        by_stage = select(
            _text(STAGE), staged.c.stage, *nothing, *self._person_measures(staged)
        ).group_by(staged.c.stage)

        o = support_offers
        kind_levels = (
            select(cohort.c.yp, o.c.kind, func.max(self._level()).label("level"))
            .select_from(cohort.join(o, self._counting_offers(cohort, by_stage=False)))
            .where(cohort.c.need == 1)
            .group_by(cohort.c.yp, o.c.kind)
            .subquery("kind_levels")
        )
        by_kind = select(
            _text(SUPPORT_TYPE),
            kind_levels.c.kind,
            *nothing,
            *self._measures(None, kind_levels.c.level, None),
        ).group_by(kind_levels.c.kind)
        return union_all(by_person, by_stage, by_kind)

    def _active_offers(self) -> ColumnElement[bool]:
        o = support_offers
        return and_(
            o.c.response == ACCEPTED,
            o.c.offered_on <= self.report_date,
            func.coalesce(o.c.started_on, o.c.offered_on) <= self.end,
            or_(o.c.ended_on.is_(None), o.c.ended_on >= self.start),
            self._team_filter(o.c.young_person_id),
        )

    def active_count(self) -> Any:
        o = support_offers
        return (
            select(func.count(distinct(o.c.young_person_id)))
            .where(self._active_offers())
            .scalar_subquery()
        )

    def active_statement(self) -> Any:
        """Support active by person characteristics, by stage and by support type
        (same row layout as :meth:`breakdown_statement`, one measure "active")."""
        o = support_offers
        active = (
            select(o.c.young_person_id.label("yp"), o.c.stage, o.c.kind)
            .where(self._active_offers())
            .distinct()
            .cte("active_offers")
        )
        yp = young_people
        person = [
            yp.c.team,
            yp.c.gender,
            yp.c.ethnicity,
            _age_band_on(self.quarter.end, yp.c.date_of_birth).label("age_band"),
        ]
        by_person = (
            select(_text(ALL).label("breakdown"), _text(ALL).label("grp"), *person)
            .add_columns(func.count().label("active"))
            .where(yp.c.id.in_(select(active.c.yp)))
            .group_by(*person)
        )
        nothing = [_text(None)] * len(person)
        arms = [
            select(
                _text(breakdown),
                active.c[column],
                *nothing,
                func.count(distinct(active.c.yp)),
            ).group_by(active.c[column])
            for breakdown, column in ((STAGE, "stage"), (SUPPORT_TYPE, "kind"))
        ]
        return union_all(by_person, *arms)


def _rows(result: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in result]


def headline_counts(
    conn: Connection, quarter: Quarter, report_date: dt.date, *, team: str | None = None
) -> list[CountRow]:
    """The headline ("all") counts for one quarter, in one statement."""
    period = _Period(quarter, report_date, team)
    row = _rows(conn.execute(period.headline_statement()))[0]
    return [
        CountRow(quarter, ALL, ALL, measure, int(row[measure] or 0))
        for measure in (*COHORT_MEASURES, "active")
    ]


def quarter_counts(
    conn: Connection, quarter: Quarter, report_date: dt.date, *, team: str | None = None
) -> list[CountRow]:
    """Every breakdown for one quarter (two statements; the headline is added up)."""
    period = _Period(quarter, report_date, team)
    totals: dict[tuple[str, str, str], int] = defaultdict(int)

    def add(row: dict[str, Any], measures: Sequence[str]) -> None:
        breakdown = str(row["breakdown"])
        for measure in measures:
            value = int(row[measure] or 0)
            if breakdown == ALL:
                totals[(ALL, ALL, measure)] += value
                for name in PERSON_BREAKDOWNS:
                    totals[(name, str(row[name]), measure)] += value
            else:
                totals[(breakdown, str(row["grp"]), measure)] += value

    level_measures = [name for name, _level in LEVEL_MEASURES]
    for row in _rows(conn.execute(period.breakdown_statement())):
        add(row, level_measures if row["breakdown"] == SUPPORT_TYPE else COHORT_MEASURES)
    for row in _rows(conn.execute(period.active_statement())):
        add(row, ["active"])

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


__all__ = [
    "headline_counts",
    "quarter_counts",
    "quarters_with_data",
    "report_counts",
]
