"""The change report: what changed for young people between their pre-court and
post-court screenings, protected for publication.

Pure: the Casebook gathers one :class:`Pair` per young person (their levels at each
screening, whether they named a protective adult, and how long support took), and
:func:`build_change_report` turns them into tables a board can read.

Who is counted: young people with a completed pre-court screening and a completed
post-court screening, where the post-court screening is dated in the period. The
Casebook picks, for each young person, the last completed post-court screening in
the period and the last completed pre-court screening on or before it.

Levels: each outcome keeps its own levels (``vocabulary.OUTCOMES``), and "not known"
is split in two: "prefer not to say" when the young person chose not to say at a
question feeding the outcome, else "not known" (not sure, not asked, unanswered).
Neither is ever merged with "none".

Direction: a level is *improved* when it moves down the outcome's order of concern,
*worse* when it moves up, and *the same* otherwise. "No relationship" and "not
applicable" count as no concern, the same as "healthy" and "none described". A pair
with "not known" or "prefer not to say" on either side is *not comparable*.

Disclosure control: every table is protected by ``tracking.disclosure`` (primary and
secondary suppression, with the row and column margins published), and then the
service report and every team's report are checked together by the intruder check
(``tracking.intruder``): the intruder knows that each transition table's rows and
columns add up to its margins, that every table of a report counts the same young
people, that improved, the same and worse are sums of cells of the transition table,
and that the teams add up to the service. While the intruder can place a suppressed
figure within 1..threshold, or find it exactly, one more figure next to it is hidden.
Medians and quartiles are shown only for groups of more than twice the threshold.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence

import attrs

from snt_youth import vocabulary
from snt_youth.errors import InvalidInput
from snt_youth.tracking.disclosure import (
    SUPPRESSED,
    CountTable,
    DisclosureSettings,
    Figure,
    Percent,
    Position,
    ProtectedTable,
    percent_of,
    protect,
)
from snt_youth.tracking.intruder import SERVICE, Examination, Key, Model, examine

PREFER_NOT_TO_SAY = "prefer not to say"
NOT_KNOWN = "not known"
IMPROVED, SAME, WORSE, NOT_COMPARABLE = "improved", "the same", "worse", "not comparable"
DIRECTIONS: tuple[str, ...] = (IMPROVED, SAME, WORSE, NOT_COMPARABLE)
NAMED, NOT_NAMED = "named an adult", "did not name an adult"
PROTECTIVE_COLUMNS: tuple[str, ...] = (NAMED, NOT_NAMED)
TO_OFFER, TO_ATTENDANCE = "screening to offer", "offer to first attendance"
MAX_ROUNDS = 300
ALL = "all"
COHORT = "cohort"
PROTECTIVE = "protective"
TIMING = "timing"

COHORT_RULE = (
    "Who is counted: young people with a completed pre-court screening and a completed "
    "post-court screening, where the post-court screening is dated in the period. For "
    "each young person the last post-court screening in the period is compared with the "
    "last pre-court screening on or before it."
)
DIRECTION_RULE = (
    "Improved means the level moved down the order of concern; worse means it moved up. "
    "No relationship and not applicable count as no concern. When either screening says "
    "not known or prefer not to say, the change is not comparable: missing answers are "
    "never read as no concern."
)
TIMING_RULE = (
    "Screening to offer: days from the pre-court screening to the first support offer on "
    "or after it. Offer to first attendance: days from that offer to the first direct-work "
    "session linked to it, or to its start date when the support was external and "
    "contacts were recorded. Medians and quartiles are shown only for more than {limit} "
    "young people, because the middle of a small group can point to one child."
)


# -- levels ---------------------------------------------------------------------------
def report_levels(outcome: str) -> tuple[str, ...]:
    """The levels of ``outcome`` as the report shows them, least concern first, with
    "prefer not to say" beside "not known"."""
    terms = vocabulary.outcome(outcome)
    found: list[str] = []
    for level in terms.values:
        found.append(level)
        if level == str(terms.not_known):
            found.append(PREFER_NOT_TO_SAY)
    return tuple(found)


def concern(outcome: str, level: str) -> int | None:
    """How much concern a level shows (0 none), or None when it is not known."""
    terms = vocabulary.outcome(outcome)
    if level in (NOT_KNOWN, PREFER_NOT_TO_SAY, str(terms.not_known)):
        return None
    if level in (str(terms.clear), str(terms.closed)):
        return 0
    concerns = [str(c) for c in terms.concern_levels]
    if level not in concerns:
        raise InvalidInput(f"{level!r} is not a level of {terms.title.lower()}.")
    return concerns.index(level) + 1


def direction(outcome: str, before: str, after: str) -> str:
    """Improved, the same, worse or not comparable, from one level to another."""
    a, b = concern(outcome, before), concern(outcome, after)
    if a is None or b is None:
        return NOT_COMPARABLE
    return IMPROVED if b < a else WORSE if b > a else SAME


# -- input ----------------------------------------------------------------------------
@attrs.frozen
class Pair:
    """One young person in the change report (no identity: the team and the facts)."""

    team: str
    pre: Mapping[str, str]  # outcome -> report level
    post: Mapping[str, str]
    protective_adult: bool = False
    days_to_offer: int | None = None
    days_to_attendance: int | None = None

    def __attrs_post_init__(self) -> None:
        for levels in (self.pre, self.post):
            for name in vocabulary.OUTCOME_NAMES:
                if levels.get(name) not in report_levels(name):
                    raise ValueError(f"{levels.get(name)!r} is not a report level of {name}")
        for days in (self.days_to_offer, self.days_to_attendance):
            if days is not None and days < 0:
                raise ValueError("a number of days cannot be negative")


@attrs.frozen
class Period:
    label: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def financial_year(text: str) -> Period:
    """``2025-26`` as the period 1 April 2025 to 31 March 2026."""
    cleaned = text.strip()
    parts = cleaned.split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[0]) == 4:
        first = int(parts[0])
        second = int(parts[1])
        if len(parts[1]) == 2 and second == (first + 1) % 100 and 2000 <= first <= 2098:
            return Period(f"{first}-{parts[1]}", dt.date(first, 4, 1), dt.date(first + 1, 3, 31))
    raise InvalidInput(
        f"{text!r} is not a financial year; write it like 2025-26 (April 2025 to March 2026)."
    )


# -- output ---------------------------------------------------------------------------
@attrs.frozen
class Transition:
    """One outcome: the table from pre-court level (rows) to post-court level (columns)."""

    outcome: str
    title: str
    levels: tuple[str, ...]
    table: ProtectedTable
    directions: tuple[Figure, ...]  # in DIRECTIONS order

    def direction(self, name: str) -> Figure:
        return self.directions[DIRECTIONS.index(name)]


@attrs.frozen
class Timing:
    """Days from one step to the next: how many young people, and the middle values."""

    label: str
    count: Figure
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None

    @property
    def shown(self) -> bool:
        return self.median is not None


@attrs.frozen
class ChangeReport:
    """The change report for one population (the service or one team)."""

    period: Period
    report_date: dt.date
    disclosure: DisclosureSettings
    cohort: Figure
    transitions: tuple[Transition, ...]
    protective: tuple[Figure, Figure]  # named, not named
    timings: tuple[Timing, ...]
    team: str | None = None
    team_name: str | None = None
    service_name: str = ""
    by_team: ProtectedTable | None = None  # service only: protective adult by team
    team_labels: tuple[str, ...] = ()
    examination: Examination = attrs.field(factory=lambda: Examination(()))

    @property
    def title(self) -> str:
        scope = f" - {self.team_name or self.team}" if self.team else ""
        return f"What changed for young people, {self.period.label}{scope}"

    @property
    def protective_percent(self) -> Percent:
        return percent_of(self.protective[0], self.cohort)

    @property
    def stats_limit(self) -> int:
        return 2 * self.disclosure.threshold

    @property
    def timing_rule(self) -> str:
        return TIMING_RULE.format(limit=self.stats_limit)

    def transition(self, outcome: str) -> Transition:
        for item in self.transitions:
            if item.outcome == outcome:
                return item
        raise KeyError(outcome)


# -- raw tables -----------------------------------------------------------------------
@attrs.frozen
class _Spec:
    """A table to publish: its counts, and the intruder's key for every position."""

    table: CountTable
    keys: Mapping[Position, Key]


def _transition_counts(pairs: Sequence[Pair], outcome: str) -> list[list[int]]:
    levels = report_levels(outcome)
    grid = [[0] * len(levels) for _ in levels]
    for pair in pairs:
        grid[levels.index(pair.pre[outcome])][levels.index(pair.post[outcome])] += 1
    return grid


def _specs(
    frame: tuple[str, str], population: str, pairs: Sequence[Pair]
) -> tuple[dict[str, _Spec], list[tuple[dict[Key, int], str]]]:
    """The tables of one population, and the sums the intruder knows beyond each table."""
    period, as_at = frame

    def key(table: str, row: str, column: str) -> Key:
        return (period, as_at, population, table, row, column)

    cohort = key(COHORT, ALL, ALL)
    specs: dict[str, _Spec] = {}
    extra: list[tuple[dict[Key, int], str]] = []
    for outcome in vocabulary.OUTCOME_NAMES:
        levels = report_levels(outcome)
        table = CountTable.with_sums(_transition_counts(pairs, outcome))
        keys: dict[Position, Key] = {GRAND_POSITION: cohort}
        for r, pre in enumerate(levels):
            keys[(r, -1)] = key(outcome, pre, ALL)
            for c, post in enumerate(levels):
                keys[(r, c)] = key(outcome, pre, post)
        for c, post in enumerate(levels):
            keys[(-1, c)] = key(outcome, ALL, post)
        specs[outcome] = _Spec(table, keys)
        counts = [0] * len(DIRECTIONS)
        for pair in pairs:
            counts[DIRECTIONS.index(direction(outcome, pair.pre[outcome], pair.post[outcome]))] += 1
        moved = f"{outcome}-change"
        specs[moved] = _Spec(
            CountTable((tuple(counts),), row_totals=(len(pairs),)),
            {
                **{(0, i): key(moved, ALL, d) for i, d in enumerate(DIRECTIONS)},
                (0, -1): cohort,
            },
        )
        for d in DIRECTIONS:
            terms: dict[Key, int] = {key(moved, ALL, d): -1}
            for pre in levels:
                for post in levels:
                    if direction(outcome, pre, post) == d:
                        terms[key(outcome, pre, post)] = 1
            extra.append((terms, "eq"))
    named = sum(p.protective_adult for p in pairs)
    specs[PROTECTIVE] = _Spec(
        CountTable(((named, len(pairs) - named),), row_totals=(len(pairs),)),
        {
            (0, 0): key(PROTECTIVE, ALL, NAMED),
            (0, 1): key(PROTECTIVE, ALL, NOT_NAMED),
            (0, -1): cohort,
        },
    )
    offered = sum(p.days_to_offer is not None for p in pairs)
    attended = sum(p.days_to_attendance is not None for p in pairs)
    specs[TIMING] = _Spec(
        CountTable(((offered, attended),)),
        {(0, 0): key(TIMING, ALL, TO_OFFER), (0, 1): key(TIMING, ALL, TO_ATTENDANCE)},
    )
    extra.append(({key(TIMING, ALL, TO_OFFER): 1, cohort: -1}, "le"))
    extra.append(({key(TIMING, ALL, TO_ATTENDANCE): 1, key(TIMING, ALL, TO_OFFER): -1}, "le"))
    return specs, extra


GRAND_POSITION: Position = (-1, -1)


def _by_team_spec(
    frame: tuple[str, str], teams: Sequence[str], by_team: Mapping[str, Sequence[Pair]]
) -> _Spec:
    period, as_at = frame
    cells = []
    keys: dict[Position, Key] = {}
    for r, team in enumerate(teams):
        pairs = by_team.get(team, ())
        named = sum(p.protective_adult for p in pairs)
        cells.append((named, len(pairs) - named))
        keys[(r, 0)] = (period, as_at, team, PROTECTIVE, ALL, NAMED)
        keys[(r, 1)] = (period, as_at, team, PROTECTIVE, ALL, NOT_NAMED)
        keys[(r, -1)] = (period, as_at, team, COHORT, ALL, ALL)
    keys[(-1, 0)] = (period, as_at, SERVICE, PROTECTIVE, ALL, NAMED)
    keys[(-1, 1)] = (period, as_at, SERVICE, PROTECTIVE, ALL, NOT_NAMED)
    keys[GRAND_POSITION] = (period, as_at, SERVICE, COHORT, ALL, ALL)
    return _Spec(CountTable.with_sums(cells), keys)


# -- protecting everything together ----------------------------------------------------
def _protect_all(
    specs: Mapping[tuple[str, str], _Spec], settings: DisclosureSettings, hidden: set[Key]
) -> dict[tuple[str, str], ProtectedTable]:
    return {
        name: protect(
            spec.table,
            settings,
            also_suppress=[p for p, k in spec.keys.items() if k in hidden],
        )
        for name, spec in specs.items()
    }


def _model(
    specs: Mapping[tuple[str, str], _Spec],
    protected: Mapping[tuple[str, str], ProtectedTable],
    extra: Iterable[tuple[dict[Key, int], str]],
    threshold: int,
) -> Model:
    model = Model(threshold=threshold)
    seen: set[tuple[tuple[Key, int], ...]] = set()

    def add(terms: dict[Key, int], sense: str) -> None:
        signature = tuple(sorted(terms.items()))
        if (signature, sense) in seen:  # type: ignore[comparison-overlap]
            return
        seen.add((signature, sense))  # type: ignore[arg-type]
        model.add(terms, "eq" if sense == "eq" else "le")

    for name, spec in specs.items():
        result = protected[name]
        for position, key in spec.keys.items():
            value = result.figure(position).value
            bound: tuple[int, int | None] = (1, None) if value is None else (value, value)
            if value is None:
                model.suppressed.add(key)
            old = model.bounds.get(key)
            if old is not None:
                his = [h for h in (old[1], bound[1]) if h is not None]
                bound = (max(old[0], bound[0]), min(his) if his else None)
            model.bounds[key] = bound
        for members, total in spec.table.lines():
            terms: dict[Key, int] = {}
            for m in members:
                terms[spec.keys[m]] = terms.get(spec.keys[m], 0) + 1
            terms[spec.keys[total]] = terms.get(spec.keys[total], 0) - 1
            add(terms, "eq")
    for terms, sense in extra:
        add(dict(terms), sense)
    return model


def _rank(key: Key) -> tuple[int, str]:
    """Cheaper to hide first: a cell, then a margin, then a cohort figure."""
    if key[3] == COHORT:
        return (2, "")
    if ALL in (key[4], key[5]) and key[3] in vocabulary.OUTCOME_NAMES:
        return (1, "")
    return (0, "")


def _cover(model: Model, exposed: Key, hidden: set[Key]) -> Key | None:
    """The published, non-zero figure next to ``exposed`` that costs least to hide."""
    published = {
        k
        for k, (lo, hi) in model.bounds.items()
        if lo == hi and lo > 0 and k not in model.suppressed and k not in hidden
    }
    frontier, seen = {exposed}, {exposed}
    best: tuple[int, int, int, Key] | None = None
    for hop in range(6):
        near: set[Key] = set()
        for terms, _sense in model.constraints:
            if frontier.intersection(terms):
                near.update(terms)
        near -= seen
        for k in near & published:
            option = (_rank(k)[0], hop, model.bounds[k][0], k)
            if best is None or option < best:
                best = option
        if not near or (best is not None and best[0] == 0):
            break
        seen |= near
        frontier = near
    if best is not None:
        return best[3]
    rest = sorted(published, key=lambda k: (_rank(k)[0], model.bounds[k][0], k))
    return rest[0] if rest else None


def _timing(label: str, days: Sequence[int], count: Figure, limit: int) -> Timing:
    if count.value is None or len(days) <= limit:
        return Timing(label, count, None, None, None)
    q1, q2, q3 = statistics.quantiles(sorted(days), n=4, method="inclusive")
    return Timing(label, count, q2, q1, q3)


def build_change_report(
    pairs: Iterable[Pair],
    *,
    period: Period,
    report_date: dt.date,
    disclosure: DisclosureSettings,
    teams: Sequence[tuple[str, str]] = (),
    team: str | None = None,
    service_name: str = "",
) -> ChangeReport:
    """Protect the service's and every team's change tables together; return one of them.

    ``teams`` is the service's (id, name) pairs; with ``team`` the report is that team's,
    protected exactly as it would be beside the service's and every other team's.
    """
    everyone = list(pairs)
    team_ids = [t for t, _ in teams]
    for pair in everyone:
        if pair.team not in team_ids:
            team_ids.append(pair.team)  # a team no longer configured still counts
    by_team: dict[str, list[Pair]] = {t: [] for t in team_ids}
    for pair in everyone:
        by_team[pair.team].append(pair)
    frame = (period.label, report_date.isoformat())
    if team is not None and team not in by_team:
        raise InvalidInput(f"Unknown team {team!r}.")
    population = team or SERVICE
    group = everyone if team is None else by_team[team]
    found, extra = _specs(frame, population, group)
    specs: dict[tuple[str, str], _Spec] = {(population, n): s for n, s in found.items()}
    if team is None:
        specs[(SERVICE, "by-team")] = _by_team_spec(frame, team_ids, by_team)

    settings = disclosure
    hidden: set[Key] = set()
    checking = settings.applied and settings.method == "suppress"
    examination = Examination(())
    rounds = 0
    while True:
        protected = _protect_all(specs, settings, hidden)
        model = _model(specs, protected, extra, settings.threshold)
        if not checking:
            break
        # One figure, one treatment: hidden in one table means hidden in all.
        shown_elsewhere = {k for k in model.suppressed if model.bounds[k][1] is not None} - hidden
        if shown_elsewhere:
            hidden |= shown_elsewhere
            continue
        examination = examine(model, exact=False)
        exposed = examination.disclosed
        if not exposed:
            break
        rounds += 1
        added = False
        this_round: set[Key] = set()
        for finding in exposed:
            if this_round and any(
                this_round.intersection(t) for t, _s in model.constraints if finding.key in t
            ):
                continue  # a figure hidden this round already sits beside it: check again
            choice = _cover(model, finding.key, hidden)
            if choice is not None:
                hidden.add(choice)
                this_round.add(choice)
                added = True
        if not added or rounds >= MAX_ROUNDS:
            # Nothing sensible left to hide: hide every non-zero figure there is.
            hidden |= {k for k, (lo, _hi) in model.bounds.items() if lo > 0}
            protected = _protect_all(specs, settings, hidden)
            model = _model(specs, protected, extra, settings.threshold)
            examination = examine(model, exact=False)
            break

    cohort = protected[(population, PROTECTIVE)].figure((0, -1))
    transitions = []
    for outcome in vocabulary.OUTCOME_NAMES:
        moved = protected[(population, f"{outcome}-change")]
        transitions.append(
            Transition(
                outcome,
                vocabulary.outcome(outcome).title,
                report_levels(outcome),
                protected[(population, outcome)],
                moved.cells[0],
            )
        )
    timing = protected[(population, TIMING)].cells[0]
    limit = 2 * settings.threshold if settings.applied else 0
    timings = (
        _timing(
            TO_OFFER,
            [p.days_to_offer for p in group if p.days_to_offer is not None],
            timing[0],
            limit,
        ),
        _timing(
            TO_ATTENDANCE,
            [p.days_to_attendance for p in group if p.days_to_attendance is not None],
            timing[1],
            limit,
        ),
    )
    named = protected[(population, PROTECTIVE)].cells[0]
    names = dict(teams)
    return ChangeReport(
        period=period,
        report_date=report_date,
        disclosure=settings,
        cohort=cohort,
        transitions=tuple(transitions),
        protective=(named[0], named[1]),
        timings=timings,
        team=team,
        team_name=names.get(team) if team else None,
        service_name=service_name,
        by_team=protected[(SERVICE, "by-team")] if team is None else None,
        team_labels=tuple(names.get(t, t) for t in team_ids) if team is None else (),
        examination=examination,
    )


def model_of_change(report: ChangeReport) -> Model:
    """The intruder's linear system for a published change report, built from what it
    shows only (the check a reader could run; the tests run it)."""
    frame = (report.period.label, report.report_date.isoformat())
    population = report.team or SERVICE
    model = Model(threshold=report.disclosure.threshold)

    def key(who: str, table: str, row: str, column: str) -> Key:
        return (frame[0], frame[1], who, table, row, column)

    def put(k: Key, figure: Figure) -> None:
        if figure.value is None:
            model.suppressed.add(k)
            model.bounds[k] = (1, None)
        else:
            model.bounds[k] = (figure.value, figure.value)

    cohort = key(population, COHORT, ALL, ALL)
    put(cohort, report.cohort)
    for item in report.transitions:
        t = item.table
        assert t.row_totals is not None and t.column_totals is not None
        cells = {
            (pre, post): key(population, item.outcome, pre, post)
            for pre in item.levels
            for post in item.levels
        }
        for r, pre in enumerate(item.levels):
            put(key(population, item.outcome, pre, ALL), t.row_totals[r])
            for c, post in enumerate(item.levels):
                put(cells[(pre, post)], t.cells[r][c])
        for c, post in enumerate(item.levels):
            put(key(population, item.outcome, ALL, post), t.column_totals[c])
        for pre in item.levels:
            terms = {cells[(pre, post)]: 1 for post in item.levels}
            terms[key(population, item.outcome, pre, ALL)] = -1
            model.add(terms, "eq")
        for post in item.levels:
            terms = {cells[(pre, post)]: 1 for pre in item.levels}
            terms[key(population, item.outcome, ALL, post)] = -1
            model.add(terms, "eq")
        for margin in (
            {key(population, item.outcome, pre, ALL): 1 for pre in item.levels},
            {key(population, item.outcome, ALL, post): 1 for post in item.levels},
        ):
            model.add({**margin, cohort: -1}, "eq")
        moved = f"{item.outcome}-change"
        for d, figure in zip(DIRECTIONS, item.directions, strict=True):
            put(key(population, moved, ALL, d), figure)
            terms = {
                k: 1 for (pre, post), k in cells.items() if direction(item.outcome, pre, post) == d
            }
            terms[key(population, moved, ALL, d)] = -1
            model.add(terms, "eq")
        model.add({**{key(population, moved, ALL, d): 1 for d in DIRECTIONS}, cohort: -1}, "eq")
    named, not_named = (key(population, PROTECTIVE, ALL, c) for c in PROTECTIVE_COLUMNS)
    put(named, report.protective[0])
    put(not_named, report.protective[1])
    model.add({named: 1, not_named: 1, cohort: -1}, "eq")
    offer, attend = (key(population, TIMING, ALL, c) for c in (TO_OFFER, TO_ATTENDANCE))
    put(offer, report.timings[0].count)
    put(attend, report.timings[1].count)
    model.add({offer: 1, cohort: -1}, "le")
    model.add({attend: 1, offer: -1}, "le")
    if report.by_team is not None:
        teams = report.team_labels
        for r, label in enumerate(teams):
            row = [key(label, PROTECTIVE, ALL, c) for c in PROTECTIVE_COLUMNS]
            total = key(label, COHORT, ALL, ALL)
            for k, figure in zip(row, report.by_team.cells[r], strict=True):
                put(k, figure)
            assert report.by_team.row_totals is not None
            put(total, report.by_team.row_totals[r])
            model.add({row[0]: 1, row[1]: 1, total: -1}, "eq")
        for c, column in enumerate(PROTECTIVE_COLUMNS):
            model.add(
                {
                    **{key(label, PROTECTIVE, ALL, column): 1 for label in teams},
                    key(population, PROTECTIVE, ALL, column): -1,
                },
                "eq",
            )
            assert report.by_team.column_totals is not None
            assert report.by_team.column_totals[c] == report.protective[c]
        model.add({**{key(label, COHORT, ALL, ALL): 1 for label in teams}, cohort: -1}, "eq")
    return model


def summary(report: ChangeReport) -> str:
    """A plain-English paragraph for the top of the board page."""
    cohort = report.cohort
    who = f"{cohort} young people" if cohort.value != 1 else "1 young person"
    parts = [
        f"In {report.period.label}, {who} had a screening before court and another after "
        "court, with the second one in the year."
    ]
    if cohort.value == 0:
        parts.append("So there is no change to show yet.")
        return " ".join(parts)
    home = report.transition("home")
    better, worse = home.direction(IMPROVED), home.direction(WORSE)
    if better.value is not None and worse.value is not None:
        parts.append(
            f"For domestic abuse at home, {better} showed less concern at the second "
            f"screening and {worse} showed more."
        )
    rel = report.transition("relationship")
    better, worse = rel.direction(IMPROVED), rel.direction(WORSE)
    if better.value is not None and worse.value is not None:
        parts.append(f"For their own relationship, {better} showed less concern and {worse} more.")
    pct = report.protective_percent
    if report.protective[0].value is None or pct.value is None:
        parts.append("How many named an adult who tried to keep them safe is too small to show.")
    else:
        parts.append(
            f"{report.protective[0]} ({pct}) named at least one adult who tried to keep them safe."
        )
    offer = report.timings[0]
    if offer.median is not None:
        parts.append(f"Half were offered support within {offer.median:g} days of screening.")
    if any(t.suppressed for t in _figures(report)):
        parts.append(f"Small numbers are shown as {SUPPRESSED} to protect young people's privacy.")
    return " ".join(parts)


def _figures(report: ChangeReport) -> list[Figure]:
    found = [report.cohort, *report.protective]
    for item in report.transitions:
        found += [f for row in item.table.cells for f in row]
        found += list(item.directions)
    return found


__all__ = [
    "COHORT_RULE",
    "DIRECTIONS",
    "DIRECTION_RULE",
    "IMPROVED",
    "NOT_COMPARABLE",
    "NOT_KNOWN",
    "PREFER_NOT_TO_SAY",
    "SAME",
    "WORSE",
    "ChangeReport",
    "Pair",
    "Period",
    "Timing",
    "Transition",
    "build_change_report",
    "concern",
    "direction",
    "financial_year",
    "model_of_change",
    "report_levels",
    "summary",
]
