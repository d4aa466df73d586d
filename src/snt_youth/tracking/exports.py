"""Writers for the quarterly report: CSV, XLSX and JSON. (The PDF board report is in
``snt_youth.printing.report_pdf``.)

Every output carries the quarter and the report date ("as at"); unsuppressed output
carries ``OFFICIAL-SENSITIVE: not for publication``. No output carries a name, a case
reference or a date of birth: a report only ever holds counts.

JSON is versioned (``"format": "snt-youth/quarterly-report"``, ``"format_version": 1``)
and can be read back with :func:`from_json_data`; a newer or unknown format fails clearly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from snt_youth.errors import FormatError, InvalidInput
from snt_youth.private_files import write_private
from snt_youth.tracking.disclosure import (
    NOT_APPLICABLE,
    SUPPRESSED,
    DisclosureSettings,
    Figure,
    Percent,
)
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import (
    COHORT_METHOD,
    MEASURES,
    Cell,
    QuarterlyReport,
    ReportTable,
    TableRow,
    TrendRow,
    measure,
)

FORMAT = "snt-youth/quarterly-report"
FORMAT_VERSION = 1
FORMATS = ("csv", "xlsx", "json", "pdf")
CSV_COLUMNS = ("quarter", "measure", "breakdown", "group", "value", "suppressed", "report_date")

QUARTER_NOTATION = (
    "Financial-year quarters (the default) are written like 2025-26 Q1: Q1 is April to June, "
    "Q4 is January to March of the second year. Calendar quarters are written like 2025 Q1 "
    "(January to March). Upper or lower case both work."
)
SYMBOLS = (
    (SUPPRESSED, "suppressed to protect young people's privacy"),
    (
        NOT_APPLICABLE,
        "not applicable: no percentage can be shown, because its base is zero or the "
        "figure is a caseload rather than a share",
    ),
)


# -- spreadsheet safety ---------------------------------------------------------------
# A spreadsheet reads a text cell starting with one of these as a formula (CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` for a CSV cell: a leading apostrophe keeps a would-be formula as text."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _put(cell: Any, value: object) -> Any:
    """Set an XLSX cell; text is always stored as text (data type 's'), never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


# -- CSV ------------------------------------------------------------------------------
def csv_rows(report: QuarterlyReport) -> list[dict[str, str]]:
    """The tidy rows: every table of the report's quarter, then earlier trend quarters."""
    as_at = report.report_date.isoformat()
    rows: list[dict[str, str]] = []

    def add(quarter: Quarter, breakdown: str, group: str, cell: Cell) -> None:
        rows.append(
            {
                "quarter": str(quarter),
                "measure": cell.measure,
                "breakdown": breakdown,
                "group": group,
                "value": str(cell.figure),
                "suppressed": "yes" if cell.suppressed else "no",
                "report_date": as_at,
            }
        )

    for table in report.tables:
        for row in table.rows:
            if row.is_total and table.id != "all":
                continue  # the All row repeats the headline
            for cell in row.cells:
                add(report.quarter, table.id, row.label, cell)
    for trend_row in report.trend:
        if trend_row.quarter == report.quarter:
            continue
        for cell in trend_row.cells:
            add(trend_row.quarter, "all", "All", cell)
    return rows


def to_csv(report: QuarterlyReport) -> str:
    """The report as one tidy CSV table. Unsuppressed output starts with a marking line."""
    buffer = io.StringIO()
    if report.marking:
        buffer.write(f"# {report.marking}\n")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: csv_safe(v) for k, v in row.items()} for row in csv_rows(report))
    return buffer.getvalue()


# -- JSON -----------------------------------------------------------------------------
def _cell_data(cell: Cell) -> dict[str, Any]:
    return {
        "value": cell.value,
        "suppressed": cell.suppressed,
        "percent": cell.percent.value,
        "percent_symbol": cell.percent.symbol,
    }


def _row_data(row: TableRow) -> dict[str, Any]:
    return {
        "group": row.group,
        "label": row.label,
        "total": row.is_total,
        "cells": {cell.measure: _cell_data(cell) for cell in row.cells},
    }


def _table_data(table: ReportTable) -> dict[str, Any]:
    return {
        "id": table.id,
        "title": table.title,
        "measures": list(table.measures),
        "partition": table.partition,
        "percent_base": table.percent_base,
        "note": table.note,
        "rows": [_row_data(row) for row in table.rows],
    }


def to_json_data(report: QuarterlyReport) -> dict[str, Any]:
    """The report as JSON-ready data, with its format and version."""
    q = report.quarter
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "title": report.title,
        "service": report.service_name,
        "marking": report.marking,
        "quarter": str(q),
        "calendar": q.calendar,
        "period": {"start": q.start.isoformat(), "end": q.end.isoformat(), "months": q.months},
        "report_date": report.report_date.isoformat(),
        "team": report.team,
        "team_name": report.team_name,
        "disclosure": {
            "applied": report.disclosure.applied,
            "method": report.disclosure.method,
            "threshold": report.disclosure.threshold,
            "rule": report.disclosure.rule,
        },
        "empty": report.is_empty,
        "note": report.empty_note,
        "cohort_method": COHORT_METHOD,
        "measures": [
            {"id": m.id, "label": m.label, "definition": m.definition, "funnel": m.funnel}
            for m in MEASURES
        ],
        "tables": [_table_data(table) for table in report.tables],
        "trend": [
            {
                "quarter": str(row.quarter),
                "cells": {cell.measure: _cell_data(cell) for cell in row.cells},
            }
            for row in report.trend
        ],
    }


def to_json(report: QuarterlyReport) -> str:
    return json.dumps(to_json_data(report), indent=2, ensure_ascii=False) + "\n"


def _cells_from(data: Mapping[str, Any], measures: Sequence[str]) -> tuple[Cell, ...]:
    cells = []
    for m in measures:
        item = data[m]
        value = None if item["suppressed"] else int(item["value"])
        cells.append(Cell(m, Figure(value), Percent(item["percent"], item["percent_symbol"])))
    return tuple(cells)


def from_json_data(data: Any, *, source: str = "input") -> QuarterlyReport:
    """A report back from :func:`to_json_data` output; FormatError for other files."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FormatError(f"{source} is not a snt-youth quarterly report (format {FORMAT}).")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise FormatError(
            f"{source} is a quarterly report of format version {version}, newer than this "
            f"snt-youth understands ({FORMAT_VERSION}); upgrade snt-youth to read it."
        )
    try:
        quarter = Quarter.parse(data["quarter"], calendar=bool(data["calendar"]))
        d = data["disclosure"]
        settings = DisclosureSettings(d["method"], int(d["threshold"]), bool(d["applied"]))
        tables = []
        for t in data["tables"]:
            measures = tuple(t["measures"])
            rows = tuple(
                TableRow(r["group"], r["label"], _cells_from(r["cells"], measures), r["total"])
                for r in t["rows"]
            )
            tables.append(
                ReportTable(
                    t["id"],
                    t["title"],
                    measures,
                    rows,
                    t["partition"],
                    t["percent_base"],
                    t["note"],
                )
            )
        all_measures = tuple(m["id"] for m in data["measures"])
        trend = tuple(
            TrendRow(
                Quarter.parse(r["quarter"], calendar=quarter.calendar),
                _cells_from(r["cells"], all_measures),
            )
            for r in data["trend"]
        )
        return QuarterlyReport(
            quarter=quarter,
            report_date=dt.date.fromisoformat(data["report_date"]),
            disclosure=settings,
            headline=tables[0],
            breakdowns=tuple(tables[1:]),
            trend=trend,
            team=data["team"],
            team_name=data["team_name"],
            service_name=data["service"],
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise FormatError(f"{source} is a damaged quarterly report ({exc!r}).") from None


# -- XLSX -----------------------------------------------------------------------------
_COUNT_FORMAT = "#,##0"
_PERCENT_FORMAT = "0.0%"


def to_xlsx(report: QuarterlyReport) -> bytes:
    """The report as an Excel workbook: a summary, a sheet per breakdown, the trend, notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    wrap = Alignment(wrap_text=True, vertical="top")

    def header_block(sheet: Any, title: str) -> int:
        """Write the title lines; return the next free row."""
        lines = []
        if report.marking:
            lines.append(report.marking)
        lines += [
            title,
            f"{report.service_name or 'Quarterly access figures'}: {report.title}",
            f"Quarter {report.quarter}: {report.period}",
            f"As at {report.report_date.isoformat()}",
        ]
        if not report.suppressed:
            lines.append("Exact counts: no disclosure control applied.")
        for i, text in enumerate(lines, start=1):
            _put(sheet.cell(row=i, column=1), text).font = bold if i <= 2 else Font()
        footer = f"{report.quarter} - as at {report.report_date.isoformat()}"
        sheet.oddFooter.left.text = footer
        if report.marking:
            sheet.oddHeader.center.text = report.marking
        # Prints on A4 landscape, one page wide.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        return len(lines) + 2

    def write_cells(
        sheet: Any, row_index: int, first: str, cells: Sequence[Cell], bold_row: bool
    ) -> None:
        _put(sheet.cell(row=row_index, column=1), first).font = bold if bold_row else Font()
        for j, cell in enumerate(cells):
            count = sheet.cell(row=row_index, column=2 + 2 * j)
            if cell.value is None:
                _put(count, SUPPRESSED)
                count.alignment = right
            else:
                count.value = cell.value
                count.number_format = _COUNT_FORMAT
            pct = sheet.cell(row=row_index, column=3 + 2 * j)
            if cell.percent.value is None:
                _put(pct, str(cell.percent))
                pct.alignment = right
            else:
                pct.value = cell.percent.value / 100.0
                pct.number_format = _PERCENT_FORMAT

    def table_sheet(
        sheet: Any,
        title: str,
        first_header: str,
        measures: Sequence[str],
        base: str,
        rows: Sequence[tuple[str, Sequence[Cell], bool]],
        note: str,
    ) -> None:
        top = header_block(sheet, title)
        _put(sheet.cell(row=top, column=1), first_header).font = bold
        base_label = measure(base).label.lower()
        for j, m in enumerate(measures):
            _put(sheet.cell(row=top, column=2 + 2 * j), measure(m).label).font = bold
            _put(sheet.cell(row=top, column=3 + 2 * j), f"% of {base_label}").font = bold
        for i, (label, cells, is_total) in enumerate(rows, start=1):
            write_cells(sheet, top + i, label, cells, is_total)
        if note:
            _put(sheet.cell(row=top + len(rows) + 2, column=1), note)
        sheet.freeze_panes = sheet.cell(row=top + 1, column=2)
        sheet.column_dimensions["A"].width = 44
        for j in range(len(measures)):
            letter_count = sheet.cell(row=top, column=2 + 2 * j).column_letter
            letter_pct = sheet.cell(row=top, column=3 + 2 * j).column_letter
            sheet.column_dimensions[letter_count].width = 16
            sheet.column_dimensions[letter_pct].width = 12

    summary = workbook.active
    summary.title = "Summary"
    headline = report.headline
    table_sheet(
        summary,
        "Funnel: all young people",
        "Group",
        headline.measures,
        headline.percent_base,
        [(row.label, row.cells, row.is_total) for row in headline.rows],
        report.empty_note or "",
    )
    for table in report.breakdowns:
        sheet = workbook.create_sheet(table.title[:31])
        table_sheet(
            sheet,
            table.title,
            "Group",
            table.measures,
            table.percent_base,
            [(row.label, row.cells, row.is_total) for row in table.rows],
            table.note,
        )
    trend_sheet = workbook.create_sheet("Trend")
    table_sheet(
        trend_sheet,
        "Trend: the last four quarters",
        "Quarter",
        headline.measures,
        "screened",
        [(str(row.quarter), row.cells, row.quarter == report.quarter) for row in report.trend],
        "Each quarter's cohort is counted as at the same report date.",
    )
    _trend_chart(trend_sheet, len(report.trend))

    notes = workbook.create_sheet("Notes")
    top = header_block(notes, "Notes and definitions")
    lines: list[tuple[str, str]] = [("Measure", "Definition")]
    lines += [(m.label, m.definition) for m in MEASURES]
    lines += [
        ("", ""),
        ("Cohort method", COHORT_METHOD),
        ("Disclosure control", report.disclosure.rule),
        ("Quarters", QUARTER_NOTATION),
    ]
    lines += [(symbol, meaning) for symbol, meaning in SYMBOLS]
    for i, (label, text) in enumerate(lines):
        _put(notes.cell(row=top + i, column=1), label).font = bold
        _put(notes.cell(row=top + i, column=2), text).alignment = wrap
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 100
    notes.freeze_panes = notes.cell(row=top + 1, column=1)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _trend_chart(sheet: Any, quarters: int) -> None:
    """A line chart of three headline series (screened, offered, accepted) by quarter.

    A suppressed figure is text ([c]) in its cell, so the chart leaves a gap there
    rather than drawing a number that was not published.
    """
    from openpyxl.chart import LineChart, Reference
    from openpyxl.chart.label import DataLabelList

    top = 1
    while top < sheet.max_row and sheet.cell(row=top, column=1).value != "Quarter":
        top += 1
    chart = LineChart()
    chart.title = "Young people by quarter"
    chart.y_axis.title = "Young people"
    chart.x_axis.title = "Quarter"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 8, 18
    for column in (2, 6, 8):  # screened, support offered, support accepted
        data = Reference(sheet, min_col=column, min_row=top, max_row=top + quarters)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=top + quarters))
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    sheet.add_chart(chart, f"B{top + quarters + 4}")


# -- writing files --------------------------------------------------------------------
def render(report: QuarterlyReport, fmt: str) -> bytes:
    """The report in ``fmt`` (csv, xlsx or json) as bytes. PDF: see printing.report_pdf."""
    if fmt == "csv":
        return to_csv(report).encode("utf-8")
    if fmt == "json":
        return to_json(report).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(report)
    raise InvalidInput(f"Unknown report format {fmt!r}; use csv, xlsx, json or pdf.")


def write_file(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through the private writer: 0600, all at once, so a
    failure leaves no half-written report. Raises WriteError with one clear sentence."""
    return write_private(path, data)


def write(report: QuarterlyReport, fmt: str, path: str | Path) -> Path:
    """Write the report as csv, xlsx or json to ``path``."""
    return write_file(path, render(report, fmt))


__all__ = [
    "CSV_COLUMNS",
    "FORMAT",
    "FORMATS",
    "FORMAT_VERSION",
    "QUARTER_NOTATION",
    "csv_rows",
    "from_json_data",
    "render",
    "to_csv",
    "to_json",
    "to_json_data",
    "to_xlsx",
    "write",
    "write_file",
]
