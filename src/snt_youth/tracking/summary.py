"""Plain-English sentences for the board pack: what went up, what went down, and what
is suppressed. Pure: works from a published report only, so it never says more than
the tables do.
"""

from __future__ import annotations

from snt_youth.tracking.report import QuarterlyReport, ReportTable, measure

HEADLINE_SERIES = ("screened", "offered", "accepted")
MOSTLY = 0.5  # a table is "mostly suppressed" when more than half its group figures are


def _change(report: QuarterlyReport, measure_id: str) -> str | None:
    rows = list(report.trend)
    if len(rows) < 2:
        return None
    now, before = rows[-1].cell(measure_id).value, rows[-2].cell(measure_id).value
    label = measure(measure_id).label.lower()
    if now is None or before is None:
        return None
    if now > before:
        return f"{label} went up from {before} to {now}"
    if now < before:
        return f"{label} went down from {before} to {now}"
    return f"{label} stayed at {now}"


def suppressed_share(table: ReportTable) -> float:
    """The share of a table's group figures that are suppressed."""
    cells = [cell for row in table.groups for cell in row.cells]
    return sum(cell.suppressed for cell in cells) / len(cells) if cells else 0.0


def mostly_suppressed(table: ReportTable) -> bool:
    return suppressed_share(table) > MOSTLY


def board_summary(report: QuarterlyReport) -> str:
    """One paragraph: the headline, the change on last quarter, and what is hidden."""
    total = report.headline.total
    screened = total.cell("screened").figure
    parts = [f"In {report.quarter}, {screened} young people had a completed screening."]
    if report.is_empty:
        return report.empty_note or parts[0]
    changes = [c for c in (_change(report, m) for m in HEADLINE_SERIES) if c]
    if changes and len(report.trend) >= 2:
        before = report.trend[-2].quarter
        parts.append(f"Compared with {before}, " + "; ".join(changes) + ".")
    active = total.cell("active").figure
    parts.append(f"{active} young people had support active in the quarter (a caseload).")
    hidden = [
        t.title.lower().removeprefix("by ") for t in report.breakdowns if mostly_suppressed(t)
    ]
    if not report.disclosure.applied:
        parts.append("No figure is suppressed: these are exact counts for internal use only.")
    elif hidden:
        parts.append(
            f"Most figures by {', '.join(hidden)} are suppressed to protect young people's "
            "privacy; the All row gives the fuller picture."
        )
    else:
        parts.append("Small figures are suppressed ([c]) to protect young people's privacy.")
    return " ".join(parts)


def table_note(report: QuarterlyReport, table: ReportTable) -> str | None:
    """A plain sentence for a table that is mostly suppressed, pointing elsewhere."""
    if not report.disclosure.applied or not mostly_suppressed(table):
        return None
    where = "the service's own report" if report.team else "the All row"
    return (
        f"Most of this table is suppressed because the groups are small; see {where} "
        "for a fuller picture."
    )


__all__ = ["board_summary", "mostly_suppressed", "suppressed_share", "table_note"]
