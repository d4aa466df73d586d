"""Quarterly figures, with disclosure control applied."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from snt_youth.casebook.base import CasebookBase
from snt_youth.errors import InvalidInput

if TYPE_CHECKING:
    from snt_youth.store.releases import Release
    from snt_youth.tracking.intruder import Key
    from snt_youth.tracking.publication import Publication
    from snt_youth.tracking.quarters import Quarter
    from snt_youth.tracking.report import QuarterlyReport


class ReportCases(CasebookBase):
    """Use cases about the quarterly figures."""

    def _report_quarter(
        self, quarter: str | Quarter | None, calendar: bool, report_date: dt.date | None
    ) -> tuple[Quarter, dt.date]:
        from snt_youth.tracking import quarters as q

        as_at = report_date or self.clock.today()
        if as_at > self.clock.today():
            raise InvalidInput(f"The report date {as_at} is in the future.")
        if quarter is None:
            chosen = q.Quarter.last_complete(as_at, calendar)
        elif isinstance(quarter, q.Quarter):
            chosen = quarter
        else:
            chosen = q.Quarter.parse(quarter, calendar)
        if chosen.start > as_at:
            raise InvalidInput(
                f"{chosen} has not started by {as_at}; choose a quarter that has begun."
            )
        return chosen, as_at

    def report_pack(
        self,
        quarter: str | Quarter | None = None,
        *,
        calendar: bool = False,
        report_date: dt.date | None = None,
    ) -> Publication:
        """The service report and every team's report of one quarter, protected together.

        The intruder check (``tracking.intruder``) is run over the whole set, and
        secondary suppression repeats until no suppressed figure can be placed within
        1..threshold or found exactly from everything in the pack.
        """
        from snt_youth.tracking.disclosure import DisclosureSettings
        from snt_youth.tracking.publication import ReportRequest, protect_publication

        chosen, as_at = self._report_quarter(quarter, calendar, report_date)
        teams = [(t.id, t.name) for t in self.config.teams]
        with self._store.reading() as tx:
            requests = [
                ReportRequest(tuple(tx.report_counts(chosen, as_at, team=t, trend_quarters=4)), t)
                for t in [None, *(tid for tid, _ in teams)]
            ]
            released = self._released_pattern(tx.releases(str(chosen), calendar=calendar))
        return protect_publication(
            requests,
            quarter=chosen,
            report_date=as_at,
            disclosure=DisclosureSettings.from_config(self.config.disclosure),
            teams=teams,
            service_name=self.config.service.name,
            released=released,
        )

    @staticmethod
    def _released_pattern(releases: list[Release]) -> set[Key]:
        """Every figure suppressed in an earlier release of the quarter."""
        found: set[Key] = set()
        for release in releases:
            for key in release.suppressed:
                if len(key) == 6:
                    found.add((key[0], key[1], key[2], key[3], key[4], key[5]))
        return found

    def record_release(self, publication: Publication, *, calendar: bool = False) -> int:
        """Record that a publication's files were released (call once they are written).

        Keeps every published figure, the report date and, for internal audit only,
        the interval the intruder check proved for each suppressed figure.
        """
        from snt_youth.tracking.intruder import model_of

        reports = publication.reports
        model = model_of(reports)
        figures: list[tuple[tuple[str, ...], int | None]] = [
            (key, None if key in model.suppressed else lo)
            for key, (lo, _hi) in sorted(model.bounds.items())
            if key not in model.regions
        ]
        proof = [(f.key, f.low, f.high) for f in publication.examination.findings]
        first = reports[0]
        with self._change() as tx:
            release_id = tx.record_release(
                quarter=str(first.quarter),
                calendar=calendar,
                report_date=first.report_date,
                released_at=self.clock.now(),
                released_by=self.user,
                reports=len(reports),
                figures=figures,
                proof=proof,
            )
            self._audit(
                tx,
                "report-released",
                "report",
                str(first.quarter),
                f"as at {first.report_date}; {len(reports)} reports; "
                f"{len(publication.examination.disclosed)} disclosed",
            )
        return release_id

    def releases(self, quarter: str | None = None, *, calendar: bool = False) -> list[Release]:
        """Recorded releases of quarterly figures, oldest first."""
        from snt_youth.tracking import quarters as q

        text = None if quarter is None else str(q.Quarter.parse(quarter, calendar))
        with self._store.reading() as tx:
            return tx.releases(text, calendar=calendar if quarter is not None else None)

    def report_written(self, report: QuarterlyReport, where: str) -> None:
        """Audit a report file once it is written (an unsuppressed one as such)."""
        if report.disclosure.applied:
            return
        self._audit_alone(
            "unsuppressed-report",
            "report",
            str(report.quarter),
            f"team={report.team or 'all'}; written to {where}; "
            "OFFICIAL-SENSITIVE: not for publication",
        )

    def quarterly_report(
        self,
        quarter: str | Quarter | None = None,
        *,
        calendar: bool = False,
        team: str | None = None,
        unsuppressed: bool = False,
        report_date: dt.date | None = None,
        audit: bool = True,
    ) -> QuarterlyReport:
        """The quarterly access figures, with disclosure control applied.

        ``quarter`` is a Quarter or its text (e.g. "2026-27 Q1"; with ``calendar`` "2026
        Q2"); the default is the last complete quarter. Figures are counted as at
        ``report_date`` (default today). ``unsuppressed`` is for internal use: it is
        audited and every output is marked OFFICIAL-SENSITIVE: not for publication;
        ``audit=False`` leaves the audit to :meth:`report_written`, once the file exists.
        Figures hidden in an earlier release of the quarter are hidden again.
        """
        from snt_youth.tracking.disclosure import DisclosureSettings
        from snt_youth.tracking.report import build_report

        chosen, as_at = self._report_quarter(quarter, calendar, report_date)
        if team:
            team = self.config.team(team).id  # an unknown team is a clear error
        settings = DisclosureSettings.from_config(self.config.disclosure, applied=not unsuppressed)
        from snt_youth.tracking.publication import hide_for

        with self._store.reading() as tx:
            counts = tx.report_counts(chosen, as_at, team=team, trend_quarters=4)
            released = self._released_pattern(tx.releases(str(chosen), calendar=calendar))
        rebased = {(k[0], as_at.isoformat(), *k[2:]) for k in released}
        report = build_report(
            counts,
            quarter=chosen,
            report_date=as_at,
            disclosure=settings,
            teams=[(t.id, t.name) for t in self.config.teams],
            team=team,
            service_name=self.config.service.name,
            hide=hide_for(chosen, as_at, team, rebased) if not unsuppressed else (),
        )
        if unsuppressed and audit:
            self._audit_alone(
                "unsuppressed-report",
                "report",
                str(chosen),
                f"team={team or 'all'}; OFFICIAL-SENSITIVE: not for publication",
            )
        return report

    def quarters_with_data(self, *, calendar: bool = False) -> list[Quarter]:
        """Quarters with at least one completed screening or support offer, oldest first."""
        with self._store.reading() as tx:
            return tx.quarters_with_data(calendar=calendar)
