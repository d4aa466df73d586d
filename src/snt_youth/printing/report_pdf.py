"""The quarterly report as a PDF for the board: charts, tables and definitions.

Charts are inline SVG built here (no plotting library); WeasyPrint draws them.
WeasyPrint is imported only when a PDF is made. The template can fetch nothing: the
URL fetcher refuses every URL, so a report can never pull in a local file.
The report date and quarter are in the header of every page; unsuppressed reports
carry ``OFFICIAL-SENSITIVE: not for publication`` at the top and foot of every page.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from markupsafe import Markup

from snt_youth.errors import MissingSystemLibrary
from snt_youth.private_files import write_private
from snt_youth.tracking.disclosure import NOT_APPLICABLE, SUPPRESSED
from snt_youth.tracking.exports import QUARTER_NOTATION, SYMBOLS
from snt_youth.tracking.report import (
    COHORT_METHOD,
    FUNNEL,
    MEASURE_IDS,
    MEASURES,
    QuarterlyReport,
    measure,
)
from snt_youth.tracking.summary import board_summary, table_note

TEMPLATES = Path(__file__).resolve().parent / "templates" / "report"
TEMPLATE = "quarterly.html.j2"

# Calm, colour-blind-safe blues and greys; shapes and labels carry the meaning too.
BAR = "#3b6e8f"
BAR_ALONGSIDE = "#7a9fb5"
# At most three series, so a board member can tell the lines apart.
SERIES = (
    ("screened", "#1f4e79", ""),
    ("offered", "#5b8db0", "6 3"),
    ("accepted", "#222222", "2 2"),
)
# "Support active" is a caseload, not a funnel stage: it is stated under the chart.
FUNNEL_PANEL = tuple(m for m in MEASURE_IDS if m != "active")

_PANGO_HINT = (
    "PDF output needs the Pango library, which is not installed here; install it "
    "(Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0) and try again."
)


def _weasyprint() -> ModuleType:
    try:
        return importlib.import_module("weasyprint")
    except OSError as exc:  # cffi cannot load libpango / libgobject
        raise MissingSystemLibrary(_PANGO_HINT) from exc


def _refuse_fetch(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the quarterly report template may not load {url}")


def _css_string(text: str) -> str:
    """``text`` safe inside a double-quoted CSS string."""
    return "".join(ch if ch.isalnum() or ch in " -.,:()" else f"\\{ord(ch):06x} " for ch in text)


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def funnel_svg(report: QuarterlyReport, width: int = 460) -> str:
    """Horizontal bars for the funnel, then the two measures alongside it.

    A suppressed figure is drawn as an empty outline labelled ``[c]``, never as a bar
    whose length would give the number away.
    """
    cells = report.headline.total.cells
    by_id = {cell.measure: cell for cell in cells}
    values = [c.value for c in cells if c.value is not None and c.measure in FUNNEL_PANEL]
    top = max(values) if values and max(values) > 0 else 1
    label_w, bar_w, row_h = 170, width - 170 - 60, 24
    parts: list[str] = []
    y = 4
    for index, measure_id in enumerate(FUNNEL_PANEL):
        if index == len(FUNNEL):
            y += 10
            parts.append(
                f'<line x1="0" y1="{y - 5}" x2="{width}" y2="{y - 5}" stroke="#bbb" '
                'stroke-width="0.5"/>'
            )
        cell = by_id[measure_id]
        colour = BAR if measure(measure_id).funnel else BAR_ALONGSIDE
        parts.append(_text(0, y + 15, measure(measure_id).label, font_size="10"))
        if cell.value is None:
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * 0.15:.1f}" height="{row_h - 8}" '
                'fill="none" stroke="#777" stroke-dasharray="3 2"/>'
            )
            parts.append(_text(label_w + bar_w * 0.15 + 6, y + 15, SUPPRESSED, font_size="10"))
        else:
            length = bar_w * cell.value / top
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 8}" '
                f'fill="{colour}"/>'
            )
            parts.append(_text(label_w + length + 6, y + 15, str(cell.value), font_size="10"))
        y += row_h
    height = y + 4
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Funnel chart" '
        'font-family="sans-serif">' + "".join(parts) + "</svg>"
    )


def _nice_top(value: int) -> int:
    """The axis top: the next multiple of 4, 20 or 40 (so four ticks are whole numbers)."""
    if value <= 0:
        return 4
    step = 4 if value <= 20 else 20 if value <= 200 else 200
    return -(-value // step) * step


def trend_svg(report: QuarterlyReport, width: int = 420, height: int = 240) -> str:
    """Lines for the funnel stages across the trend quarters; gaps where suppressed."""
    rows = report.trend
    left, right, top_pad, bottom = 40, 34, 10, 80
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    shown = {m for m, _c, _d in SERIES}
    values = [cell.value for row in rows for cell in row.cells if cell.measure in shown]
    known = [v for v in values if v is not None]
    top = _nice_top(max(known) if known else 0)
    step = plot_w / max(len(rows) - 1, 1)

    def x_at(i: int) -> float:
        return left + i * step

    def y_at(value: int) -> float:
        return top_pad + plot_h - plot_h * value / top

    parts = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" '
        f'y2="{top_pad + plot_h}" stroke="#555" stroke-width="0.7"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{top_pad + plot_h}" '
        'stroke="#555" stroke-width="0.7"/>',
    ]
    for tick in range(0, top + 1, max(top // 4, 1)):
        ty = y_at(tick)
        parts.append(
            f'<line x1="{left - 3}" y1="{ty:.1f}" x2="{left}" y2="{ty:.1f}" stroke="#555" '
            'stroke-width="0.7"/>'
        )
        parts.append(_text(left - 5, ty + 3, str(tick), font_size="8", text_anchor="end"))
    for i, row in enumerate(rows):
        parts.append(
            _text(
                x_at(i),
                top_pad + plot_h + 12,
                str(row.quarter),
                font_size="8",
                text_anchor="middle",
            )
        )
    for measure_id, colour, dash in SERIES:
        points = [row.cell(measure_id).value for row in rows]
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(points):
            if value is not None:
                parts.append(
                    _text(x_at(i) + 3, y_at(value) - 3, str(value), font_size="7", fill=colour)
                )
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_at(i):.1f},{y_at(value):.1f}")
        if segment:
            segments.append(segment)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.2" fill="{colour}"/>')
            else:
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.6"{dash_attr}/>'
                )
    legend_y = top_pad + plot_h + 28
    for index, (measure_id, colour, dash) in enumerate(SERIES):
        lx = 10 + (index % 3) * 135
        ly = legend_y + (index // 3) * 16
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 22}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="1.6"{dash_attr}/>'
        )
        parts.append(_text(lx + 26, ly + 3, measure(measure_id).label, font_size="8"))
    parts.append(_text(10, height - 4, f"Gaps mark figures shown as {SUPPRESSED}.", font_size="8"))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Trend chart" '
        'font-family="sans-serif">' + "".join(parts) + "</svg>"
    )


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES), encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report_html(report: QuarterlyReport) -> str:
    """The board report as HTML (what the PDF is made from)."""
    as_at = report.report_date.isoformat()
    template = _environment().get_template(TEMPLATE)
    return template.render(
        report=report,
        report_date=as_at,
        header_left=Markup(_css_string(report.title)),  # the title names the quarter
        header_right=Markup(_css_string(f"As at {as_at}")),
        marking_css=Markup(_css_string(report.marking or "")),
        funnel_svg=Markup(funnel_svg(report)),
        trend_svg=Markup(trend_svg(report)),
        summary=board_summary(report),
        table_notes={t.id: table_note(report, t) for t in report.tables},
        active=report.headline.total.cell("active").figure,
        labels={m.id: m.label for m in MEASURES},
        measure_ids=MEASURE_IDS,
        measures=MEASURES,
        cohort_method=COHORT_METHOD,
        quarter_notation=QUARTER_NOTATION,
        symbols=SYMBOLS,
        not_applicable=NOT_APPLICABLE,
    )


def render_report_pdf(report: QuarterlyReport) -> bytes:
    """The board report as PDF bytes (imports WeasyPrint on first use)."""
    weasyprint = _weasyprint()
    html = weasyprint.HTML(
        string=render_report_html(report), base_url=str(TEMPLATES), url_fetcher=_refuse_fetch
    )
    pdf: bytes = html.write_pdf()
    return pdf


def write_report_pdf(report: QuarterlyReport, path: str | Path) -> Path:
    """Write the board report PDF to ``path``: private (0600), all at once, and with one
    clear sentence (:class:`~snt_youth.errors.WriteError`) if it cannot be written."""
    return write_private(path, render_report_pdf(report))


__all__ = [
    "funnel_svg",
    "render_report_html",
    "render_report_pdf",
    "trend_svg",
    "write_report_pdf",
]
