"""The change report as a PDF a board can read: a plain-English summary at the top,
one chart per question, then the tables and what they mean.

Charts are inline SVG built here. A suppressed figure is drawn as a dashed outline
labelled ``[c]``, never as a bar whose length would give it away. The template can
fetch nothing (every URL is refused).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from markupsafe import Markup

from snt_youth.errors import MissingSystemLibrary
from snt_youth.private_files import write_private
from snt_youth.tracking.change import (
    COHORT_RULE,
    DIRECTION_RULE,
    DIRECTIONS,
    PROTECTIVE_COLUMNS,
    ChangeReport,
    summary,
)
from snt_youth.tracking.disclosure import SUPPRESSED, Figure

TEMPLATES = Path(__file__).resolve().parent / "templates" / "change"
TEMPLATE = "change.html.j2"
# Calm blues and greys; the labels carry the meaning too.
COLOURS = {
    "improved": "#1f4e79",
    "the same": "#8aa9c1",
    "worse": "#444444",
    "not comparable": "#d5dde3",
}


def _text(x: float, y: float, content: str, size: int = 9, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def _bar(x: float, y: float, length: float, height: float, figure: Figure, colour: str) -> str:
    if figure.value is None:
        return (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="24" height="{height:.1f}" fill="none" '
            f'stroke="#777" stroke-dasharray="3 2"/>' + _text(x + 28, y + height - 2, SUPPRESSED)
        )
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{length:.1f}" height="{height:.1f}" '
        f'fill="{colour}"/>' + _text(x + length + 4, y + height - 2, str(figure.value))
    )


def _svg(width: int, height: int, label: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        'font-family="sans-serif">' + "".join(parts) + "</svg>"
    )


def change_svg(report: ChangeReport, width: int = 470) -> str:
    """For each outcome, how many improved, stayed the same, got worse, or cannot be compared."""
    values = [f.value for t in report.transitions for f in t.directions if f.value is not None]
    top = max(values, default=0) or 1
    label_w, bar_w, row_h = 150, width - 150 - 50, 13
    parts: list[str] = []
    y = 2.0
    for item in report.transitions:
        parts.append(_text(0, y + 11, item.title, 10))
        y += 15
        for name, figure in zip(DIRECTIONS, item.directions, strict=True):
            parts.append(_text(12, y + row_h - 3, name.capitalize(), 8))
            length = bar_w * (figure.value or 0) / top
            parts.append(_bar(label_w, y + 1, length, row_h - 3, figure, COLOURS[name]))
            y += row_h
        y += 6
    return _svg(width, int(y) + 2, "Change chart", parts)


def protective_svg(report: ChangeReport, width: int = 420) -> str:
    """How many named an adult who tried to keep them safe, for the service and by team."""
    rows: list[tuple[str, Figure, Figure]] = [("All", *report.protective)]
    if report.by_team is not None:
        rows += [
            (label, cells[0], cells[1])
            for label, cells in zip(report.team_labels, report.by_team.cells, strict=True)
        ]
    values = [f.value for _l, a, b in rows for f in (a, b) if f.value is not None]
    top = max(values, default=0) or 1
    label_w, bar_w, row_h = 110, width - 110 - 50, 13
    parts: list[str] = []
    y = 2.0
    for label, named, not_named in rows:
        parts.append(_text(0, y + 11, label, 10))
        y += 14
        for name, figure, colour in (
            (PROTECTIVE_COLUMNS[0], named, "#1f4e79"),
            (PROTECTIVE_COLUMNS[1], not_named, "#8aa9c1"),
        ):
            parts.append(_text(8, y + row_h - 3, name.capitalize(), 8))
            parts.append(
                _bar(label_w, y + 1, bar_w * (figure.value or 0) / top, row_h - 3, figure, colour)
            )
            y += row_h
        y += 5
    return _svg(width, int(y) + 2, "Protective adult chart", parts)


def timing_svg(report: ChangeReport, width: int = 420) -> str:
    """Median days (a dot) and the middle half (a band from quartile to quartile)."""
    shown = [t for t in report.timings if t.shown]
    top = max((t.upper_quartile or 0 for t in shown), default=0) or 1
    label_w, bar_w = 150, width - 150 - 40
    parts: list[str] = []
    y = 4.0
    for timing in report.timings:
        parts.append(_text(0, y + 12, timing.label.capitalize(), 9))
        if not timing.shown:
            parts.append(_text(label_w, y + 12, f"{SUPPRESSED}: too few to show", 8))
        else:
            assert timing.lower_quartile is not None and timing.upper_quartile is not None
            assert timing.median is not None
            x1 = label_w + bar_w * timing.lower_quartile / top
            x2 = label_w + bar_w * timing.upper_quartile / top
            xm = label_w + bar_w * timing.median / top
            parts.append(
                f'<rect x="{x1:.1f}" y="{y + 4:.1f}" width="{max(x2 - x1, 1):.1f}" '
                'height="10" fill="#8aa9c1"/>'
            )
            parts.append(f'<circle cx="{xm:.1f}" cy="{y + 9:.1f}" r="4" fill="#1f4e79"/>')
            parts.append(
                _text(
                    label_w,
                    y + 26,
                    f"median {timing.median:g} days; middle half {timing.lower_quartile:g} "
                    f"to {timing.upper_quartile:g} days",
                    8,
                )
            )
        y += 36
    return _svg(width, int(y), "Timing chart", parts)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES), encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_change_html(report: ChangeReport) -> str:
    """The board page as HTML (what the PDF is made from)."""
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            report=report,
            summary=summary(report),
            change_svg=Markup(change_svg(report)),
            protective_svg=Markup(protective_svg(report)),
            timing_svg=Markup(timing_svg(report)),
            directions=DIRECTIONS,
            cohort_rule=COHORT_RULE,
            direction_rule=DIRECTION_RULE,
            timing_rule=report.timing_rule,
        )
    )


def _refuse_fetch(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the change report template may not load {url}")


def render_change_pdf(report: ChangeReport) -> bytes:
    try:
        weasyprint = importlib.import_module("weasyprint")
    except OSError as exc:
        raise MissingSystemLibrary(
            "PDF output needs the Pango library, which is not installed here; install it "
            "(Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0) and try again."
        ) from exc
    html = weasyprint.HTML(
        string=render_change_html(report), base_url=str(TEMPLATES), url_fetcher=_refuse_fetch
    )
    pdf: bytes = html.write_pdf()
    return pdf


def write_change_pdf(report: ChangeReport, path: str | Path) -> Path:
    """Write the PDF through the private writer (0600, all at once)."""
    return write_private(path, render_change_pdf(report))


__all__ = [
    "change_svg",
    "protective_svg",
    "render_change_html",
    "render_change_pdf",
    "timing_svg",
    "write_change_pdf",
]
