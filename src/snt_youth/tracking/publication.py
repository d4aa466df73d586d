"""A publication: reports released together, protected together.

:func:`protect_publication` builds every report of a publication (the service report
and each team's report of one quarter, as at one date), runs the intruder check
(:mod:`snt_youth.tracking.intruder`) over all of them at once, and while the intruder
can place any suppressed figure or hidden region within 1..threshold (or find a
suppressed figure exactly), suppresses one more published figure for each one found
and checks again.

How the next figure is chosen (so that the least information is lost): among the
published, non-zero figures tied to the exposed one by a sum or a funnel order, the
smallest is hidden; a group figure is preferred to a team's All figure, and that to
the service's All figure (the headline, repeated in every table, so the most costly
to lose). Ties go to the first in table order.
A figure hidden in one report is hidden everywhere it appears.

The intervals the check proved go into the release's internal audit record
(:attr:`Publication.examination`); they are never published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import attrs

from snt_youth.tracking.disclosure import DisclosureSettings
from snt_youth.tracking.intruder import SERVICE, Examination, Key, Model, examine, model_of
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import ALL, CountRow, QuarterlyReport, build_report

MAX_ROUNDS = 500


@attrs.frozen
class ReportRequest:
    """One report of a publication: its raw counts and its team (None: the service)."""

    counts: tuple[CountRow, ...]
    team: str | None = None


@attrs.frozen
class Publication:
    """Reports protected together, with what the intruder check proved about them."""

    reports: tuple[QuarterlyReport, ...]
    examination: Examination
    hidden: frozenset[Key]  # figures suppressed on top of each report's own protection
    rounds: int

    @property
    def service(self) -> QuarterlyReport | None:
        return next((r for r in self.reports if r.team is None), None)

    def suppressed_keys(self) -> frozenset[Key]:
        """Every figure suppressed anywhere in the publication (the release pattern)."""
        return frozenset(model_of(self.reports).suppressed)


def hide_for(
    quarter: Quarter, report_date: dt.date, team: str | None, keys: Collection[Key]
) -> set[tuple[str, str, str, str]]:
    """The keys that fall in one report, as ``build_report``'s ``hide`` entries."""
    as_at = report_date.isoformat()
    population = team or SERVICE
    here = str(quarter)
    found: set[tuple[str, str, str, str]] = set()
    for key_quarter, date, who, table, group, measure in keys:
        if date != as_at:
            continue
        if who == population:
            found.add((key_quarter, table, group, measure))
        elif team is None and key_quarter == here and table == ALL:
            found.add((here, "team", who, measure))  # a team's All is its service team row
    return found


def _cost(model: Model, key: Key) -> tuple[int, int, Key]:
    """Lower is cheaper: a group figure, then a team's All figure, then the service's
    All figure (the headline every table repeats); within each, the smallest."""
    if key[3] != ALL:
        rank = 0
    elif key[2] != SERVICE:
        rank = 1
    else:
        rank = 2
    return (rank, model.bounds[key][0], key)


def _cover(
    model: Model, exposed: Key, taken: set[Key], this_round: set[Key] | None = None
) -> Key | None:
    """The published figure to hide next for an exposed one (see the module docstring).

    Candidates are published figures up to four ties away; the cheapest kind wins
    (group, then team All, then service All), then the nearest, then the smallest.
    """
    published = {
        k
        for k, (lo, hi) in model.bounds.items()
        if lo == hi and lo > 0 and k not in model.suppressed and k not in model.regions
    }
    frontier = {exposed}
    seen = {exposed}
    best: tuple[int, int, int, Key] | None = None
    for hop in range(4):
        near: set[Key] = set()
        for terms, _sense in model.constraints:
            if frontier.intersection(terms):
                near.update(terms)
        near -= seen
        if this_round and near & this_round:
            return None  # a figure hidden this round is already next to it: check again
        for k in (near & published) - taken:
            rank, value, _ = _cost(model, k)
            option = (rank, hop, value, k)
            if best is None or option < best:
                best = option
        seen |= near
        frontier = near
        if not frontier or (best is not None and best[0] == 0):
            break
    if best is not None:
        return best[3]
    rest = sorted(published - taken, key=lambda k: _cost(model, k))
    return rest[0] if rest else None


def protect_publication(
    requests: Sequence[ReportRequest],
    *,
    quarter: Quarter,
    report_date: dt.date,
    disclosure: DisclosureSettings,
    teams: Sequence[tuple[str, str]] = (),
    service_name: str = "",
    released: Collection[Key] = (),
) -> Publication:
    """Build and protect the reports of one publication together.

    ``released`` is the suppression pattern of an earlier release of the same quarter:
    every figure it hid is hidden again, so no difference between the two releases
    gives a hidden figure away.
    """
    hidden: set[Key] = set()
    as_at = report_date.isoformat()
    for key in released:
        hidden.add((key[0], as_at, key[2], key[3], key[4], key[5]))

    def build() -> tuple[QuarterlyReport, ...]:
        return tuple(
            build_report(
                request.counts,
                quarter=quarter,
                report_date=report_date,
                disclosure=disclosure,
                teams=teams,
                team=request.team,
                service_name=service_name,
                hide=hide_for(quarter, report_date, request.team, hidden),
            )
            for request in requests
        )

    checking = disclosure.applied and disclosure.method == "suppress"

    def build_consistent() -> tuple[tuple[QuarterlyReport, ...], Model]:
        # One figure, one treatment: a figure one report had to hide is hidden in all.
        while True:
            reports = build()
            model = model_of(reports)
            shown_elsewhere = {k for k in model.suppressed if k not in model.unknowns()}
            if not checking or not shown_elsewhere - hidden:
                return reports, model
            hidden.update(shown_elsewhere)

    reports, model = build_consistent()
    rounds = 0
    while checking and rounds < MAX_ROUNDS:
        found = examine(model, exact=False).disclosed
        if not found:
            break
        rounds += 1
        this_round: set[Key] = set()
        for finding in found:
            choice = _cover(model, finding.key, hidden, this_round)
            if choice is not None and choice not in hidden:
                hidden.add(choice)
                this_round.add(choice)
        if not this_round:
            break
        reports, model = build_consistent()
    examination = examine(model_of(reports), exact=False) if checking else Examination(())
    return Publication(reports, examination, frozenset(hidden), rounds)


__all__ = ["MAX_ROUNDS", "Publication", "ReportRequest", "hide_for", "protect_publication"]
