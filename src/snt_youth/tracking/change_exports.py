"""Writers for the change report: CSV, XLSX and JSON (the PDF is in
``snt_youth.printing.change_pdf``). Every output holds counts only, never a name, a
case reference or a date of birth, and carries the period and the report date."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from snt_youth.errors import InvalidInput
from snt_youth.tracking.change import (
    COHORT_RULE,
    DIRECTION_RULE,
    DIRECTIONS,
    PROTECTIVE_COLUMNS,
    ChangeReport,
    summary,
)
from snt_youth.tracking.disclosure import Figure
from snt_youth.tracking.exports import csv_safe


def _put(cell: Any, value: object) -> Any:
    """Set an XLSX cell; text is stored as text, never as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


FORMAT = "snt-youth/change-report"
FORMAT_VERSION = 1
FORMATS = ("csv", "xlsx", "json", "pdf")
CSV_COLUMNS = ("period", "report_date", "table", "row", "column", "value", "suppressed")


def _value(figure: Figure) -> int | None:
    return figure.value


def rows(report: ChangeReport) -> list[dict[str, str]]:
    """Tidy rows: one per published figure."""
    found: list[tuple[str, str, str, Figure]] = [("cohort", "all", "all", report.cohort)]
    for item in report.transitions:
        table = item.table
        for r, pre in enumerate(item.levels):
            for c, post in enumerate(item.levels):
                found.append((item.outcome, pre, post, table.cells[r][c]))
            assert table.row_totals is not None
            found.append((item.outcome, pre, "all", table.row_totals[r]))
        assert table.column_totals is not None
        for c, post in enumerate(item.levels):
            found.append((item.outcome, "all", post, table.column_totals[c]))
        for name, figure in zip(DIRECTIONS, item.directions, strict=True):
            found.append((f"{item.outcome}-change", "all", name, figure))
    for name, figure in zip(PROTECTIVE_COLUMNS, report.protective, strict=True):
        found.append(("protective adult", "all", name, figure))
    if report.by_team is not None:
        for label, cells in zip(report.team_labels, report.by_team.cells, strict=True):
            for name, figure in zip(PROTECTIVE_COLUMNS, cells, strict=True):
                found.append(("protective adult by team", label, name, figure))
    for timing in report.timings:
        found.append(("timing", timing.label, "young people", timing.count))
    return [
        {
            "period": report.period.label,
            "report_date": report.report_date.isoformat(),
            "table": t,
            "row": r,
            "column": c,
            "value": str(f),
            "suppressed": "yes" if f.suppressed else "no",
        }
        for t, r, c, f in found
    ]


def to_csv(report: ChangeReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_safe(v) for k, v in row.items()} for row in rows(report))
    for timing in report.timings:
        for name, value in (
            ("median days", timing.median),
            ("lower quartile days", timing.lower_quartile),
            ("upper quartile days", timing.upper_quartile),
        ):
            writer.writerow(
                {
                    "period": report.period.label,
                    "report_date": report.report_date.isoformat(),
                    "table": "timing",
                    "row": timing.label,
                    "column": name,
                    "value": "[c]" if value is None else f"{value:g}",
                    "suppressed": "yes" if value is None else "no",
                }
            )
    return buffer.getvalue()


def to_json_data(report: ChangeReport) -> dict[str, Any]:
    def table(item: Any) -> dict[str, Any]:
        t = item.table
        return {
            "outcome": item.outcome,
            "title": item.title,
            "levels": list(item.levels),
            "cells": [[_value(f) for f in row] for row in t.cells],
            "row_totals": [_value(f) for f in t.row_totals],
            "column_totals": [_value(f) for f in t.column_totals],
            "total": _value(t.grand_total),
            "change": {d: _value(f) for d, f in zip(DIRECTIONS, item.directions, strict=True)},
        }

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "title": report.title,
        "service": report.service_name,
        "period": {
            "label": report.period.label,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
        },
        "report_date": report.report_date.isoformat(),
        "team": report.team,
        "summary": summary(report),
        "cohort": _value(report.cohort),
        "cohort_rule": COHORT_RULE,
        "direction_rule": DIRECTION_RULE,
        "timing_rule": report.timing_rule,
        "disclosure": {
            "method": report.disclosure.method,
            "threshold": report.disclosure.threshold,
            "rule": report.disclosure.rule,
        },
        "transitions": [table(item) for item in report.transitions],
        "protective_adult": {
            name: _value(f) for name, f in zip(PROTECTIVE_COLUMNS, report.protective, strict=True)
        },
        "protective_adult_by_team": (
            {
                label: [_value(f) for f in cells]
                for label, cells in zip(report.team_labels, report.by_team.cells, strict=True)
            }
            if report.by_team is not None
            else None
        ),
        "timings": [
            {
                "label": t.label,
                "young_people": _value(t.count),
                "median_days": t.median,
                "lower_quartile_days": t.lower_quartile,
                "upper_quartile_days": t.upper_quartile,
            }
            for t in report.timings
        ],
    }


def to_json(report: ChangeReport) -> str:
    return json.dumps(to_json_data(report), indent=2, ensure_ascii=False) + "\n"


def to_xlsx(report: ChangeReport) -> bytes:
    """A summary sheet, one sheet per outcome, and the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    lines = [
        report.title,
        f"{report.period.start.isoformat()} to {report.period.end.isoformat()}; "
        f"as at {report.report_date.isoformat()}",
        summary(report),
        "",
        COHORT_RULE,
        DIRECTION_RULE,
        report.timing_rule,
        report.disclosure.rule,
    ]
    for i, text in enumerate(lines, start=1):
        _put(sheet.cell(row=i, column=1), text).font = bold if i == 1 else Font()
    sheet.column_dimensions["A"].width = 100
    for item in report.transitions:
        ws = book.create_sheet(item.title[:31])
        _put(
            ws.cell(row=1, column=1), f"{item.title}: before court (rows), after court"
        ).font = bold
        for c, level in enumerate(item.levels):
            _put(ws.cell(row=3, column=2 + c), level).font = bold
        _put(ws.cell(row=3, column=2 + len(item.levels)), "All").font = bold
        t = item.table
        assert t.row_totals is not None and t.column_totals is not None
        for r, level in enumerate(item.levels):
            _put(ws.cell(row=4 + r, column=1), level).font = bold
            for c, figure in enumerate((*t.cells[r], t.row_totals[r])):
                _put(
                    ws.cell(row=4 + r, column=2 + c),
                    figure.value if figure.value is not None else str(figure),
                )
        last = 4 + len(item.levels)
        _put(ws.cell(row=last, column=1), "All").font = bold
        assert t.grand_total is not None
        for c, figure in enumerate((*t.column_totals, t.grand_total)):
            _put(
                ws.cell(row=last, column=2 + c),
                figure.value if figure.value is not None else str(figure),
            )
        for i, (name, figure) in enumerate(zip(DIRECTIONS, item.directions, strict=True)):
            _put(ws.cell(row=last + 2 + i, column=1), name.capitalize())
            _put(
                ws.cell(row=last + 2 + i, column=2),
                figure.value if figure.value is not None else str(figure),
            )
        ws.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(report: ChangeReport, fmt: str) -> bytes:
    """The change report as csv, xlsx or json bytes (PDF: printing.change_pdf)."""
    if fmt == "csv":
        return to_csv(report).encode("utf-8")
    if fmt == "json":
        return to_json(report).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(report)
    raise InvalidInput(f"Unknown report format {fmt!r}; use csv, xlsx, json or pdf.")


__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "FORMATS",
    "render",
    "rows",
    "to_csv",
    "to_json",
    "to_json_data",
    "to_xlsx",
]
