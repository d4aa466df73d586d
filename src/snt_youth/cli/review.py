"""``snt-youth review notes``: a file review of case notes for a champions' meeting."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path

import click

from snt_youth.cli.context import Context, Failed, parse_date, pass_context


@click.group()
def review() -> None:
    """File reviews for Safe & Together champions."""


@review.command("notes")
@click.option("--team", help="One team only (team id from 'config show').")
@click.option("--since", metavar="YYYY-MM-DD", help="Only notes written on or after this date.")
@click.option("-o", "--output", type=click.Path(), help="Write FILE.csv (per note) or FILE.pdf.")
@pass_context
def notes(ctx: Context, team: str | None, since: str | None, output: str | None) -> None:
    """Review the stored case notes: language findings and documentation markers.

    The summary on screen has counts only, no names, for a champions' meeting. A CSV
    has one row per note (case reference, date, markers, findings); a PDF has the
    summary.

    \b
    Examples:
      snt-youth review notes
      snt-youth review notes --team iss --since 2026-04-01 -o review.csv
    """
    from snt_youth.language import review as core

    since_date = parse_date(since, "--since") if since else None
    with ctx.open_book() as book:
        reviews, summary = core.review_book(book, team=team, since=since_date)
    if output is None:
        for line in summary.lines():
            click.echo(line)
        return
    suffix = Path(output).suffix.lower()
    if suffix == ".csv":
        data = _csv(reviews).encode("utf-8")
    elif suffix == ".pdf":
        data = _pdf(summary.lines())
    else:
        raise Failed(f"Cannot tell the format from {output!r}: name the file .csv or .pdf.")
    from snt_youth.private_files import write_private

    written = write_private(output, data)
    click.echo(f"Reviewed {summary.notes} notes: written to {written}.")


def _csv(reviews: Sequence[object]) -> str:
    from snt_youth.language.review import MARKERS, NoteReview

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case_ref", "written_on", *MARKERS, "findings", "rules"])
    for item in reviews:
        assert isinstance(item, NoteReview)
        writer.writerow(
            [
                item.case_ref,
                item.written_on.isoformat(),
                *("yes" if m in item.markers else "no" for m in MARKERS),
                len(item.findings),
                " ".join(item.rule_ids),
            ]
        )
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    from snt_youth.printing.engine import weasyprint

    body = "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in lines)
    page = (
        "<html><head><meta charset='utf-8'><style>body{font-family:sans-serif;"
        "font-size:12pt} p{margin:0 0 4pt 0}</style></head><body>"
        f"<h1>File review: team summary</h1>{body}</body></html>"
    )
    pdf: bytes = weasyprint().HTML(string=page).write_pdf()
    return pdf
