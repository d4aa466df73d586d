"""Quarterly access figures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from snt_youth.cli.context import Context, Failed, parse_date, pass_context

FORMATS = ["csv", "xlsx", "json", "pdf"]


@click.group()
def report() -> None:
    """Quarterly access figures for the youth justice return and the board.

    Quarters follow the UK financial year (Q1 is April to June) and are written like
    "2026-27 Q1". Use --calendar for calendar quarters, written like "2026 Q2".
    Small numbers are suppressed before anything is written.
    """


@report.command("quarterly")
@click.option(
    "--quarter",
    "quarter_text",
    metavar="Q",
    help='e.g. "2026-27 Q1" (default: the last complete quarter).',
)
@click.option("--calendar", is_flag=True, help="Calendar quarters (Q1 is January to March).")
@click.option("--team", help="One team only (team id from 'config show').")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    help="Output format (default: from the -o file name, else a summary on screen).",
)
@click.option("-o", "--output", type=click.Path(), help="File to write.")
@click.option("--as-at", "as_at", metavar="YYYY-MM-DD", help="Report date (default today).")
@click.option(
    "--unsuppressed",
    is_flag=True,
    help="Internal use only: no disclosure control. Audited, and every page and "
    "sheet is marked OFFICIAL-SENSITIVE: not for publication.",
)
@pass_context
def quarterly(
    ctx: Context,
    quarter_text: str | None,
    calendar: bool,
    team: str | None,
    fmt: str | None,
    output: str | None,
    as_at: str | None,
    unsuppressed: bool,
) -> None:
    """Build the quarterly funnel and its breakdowns, and write them.

    \b
    Examples:
      snt-youth report quarterly                                 summary on screen
      snt-youth report quarterly --quarter "2026-27 Q1" -o q1.xlsx
      snt-youth report quarterly --format pdf -o board.pdf       with charts
      snt-youth report quarterly --team iss --format csv -o iss.csv
    """
    if fmt is None and output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise Failed(f"Cannot tell the format from {output!r}: add --format csv|xlsx|json|pdf.")
        fmt = suffix
    with ctx.open_book() as book:
        built = book.quarterly_report(
            quarter_text,
            calendar=calendar,
            team=team,
            unsuppressed=unsuppressed,
            report_date=parse_date(as_at, "--as-at"),
            audit=False,
        )
        if fmt is None:
            _summary(built)
            book.report_written(built, "the screen")
            return
        data = _render(built, fmt.lower())
        if output is None:
            if fmt in ("xlsx", "pdf"):
                raise Failed(f"{fmt.upper()} output needs a file: add -o FILE.{fmt}.")
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            book.report_written(built, "the screen")
            return
        from snt_youth.private_files import write_private

        written = write_private(output, data)
        # Audited only once the file is complete: a failed write leaves no audit event.
        book.report_written(built, str(written))
    click.echo(f"{built.title}, as at {built.report_date}: written to {written}.")
    if built.marking:
        click.echo(f"Marked {built.marking}.")


def _render(built: object, fmt: str) -> bytes:
    from snt_youth.tracking.report import QuarterlyReport

    assert isinstance(built, QuarterlyReport)
    if fmt == "pdf":
        from snt_youth.printing.report_pdf import render_report_pdf

        return render_report_pdf(built)
    from snt_youth.tracking.exports import render

    return render(built, fmt)


def _summary(built: object) -> None:
    from snt_youth.tracking.report import QuarterlyReport

    assert isinstance(built, QuarterlyReport)
    if built.marking:
        click.echo(built.marking)
    click.echo(f"{built.title}")
    click.echo(f"{built.period}; as at {built.report_date}; {built.disclosure.rule}")
    if built.empty_note:
        click.echo(built.empty_note)
    from snt_youth.tracking.report import measure

    for cell in built.headline.total.cells:
        click.echo(f"  {measure(cell.measure).label:<40} {cell.figure!s:>6}  {cell.percent!s:>6}")
    click.echo("Write it out with --format csv|xlsx|json|pdf -o FILE.")


@report.command("quarters")
@click.option("--calendar", is_flag=True, help="Calendar quarters instead of financial.")
@pass_context
def quarters(ctx: Context, calendar: bool) -> None:
    """List the quarters that have completed screenings or support offers."""
    with ctx.open_book() as book:
        found = book.quarters_with_data(calendar=calendar)
    if not found:
        click.echo("No quarters with data yet.")
    for q in found:
        click.echo(f"{q}  ({q.months})")


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


@report.command("pack")
@click.option("--quarter", "quarter_text", metavar="Q", help='e.g. "2026-27 Q1".')
@click.option("--calendar", is_flag=True, help="Calendar quarters (Q1 is January to March).")
@click.option("-o", "--output", "folder", type=click.Path(), default=".", help="Folder to write.")
@click.option("--as-at", "as_at", metavar="YYYY-MM-DD", help="Report date (default today).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS, case_sensitive=False),
    help="Formats to write (default: every format). Repeat for several.",
)
@pass_context
def pack(
    ctx: Context,
    quarter_text: str | None,
    calendar: bool,
    folder: str,
    as_at: str | None,
    formats: tuple[str, ...],
) -> None:
    """Write the service report and every team's report, protected as one set.

    The intruder check is run over the whole pack: nothing in it, read together,
    places a suppressed figure within 1 to the threshold or gives it exactly.

    \b
    Example:
      snt-youth report pack --quarter "2026-27 Q1" -o board-pack
    """
    from snt_youth.private_files import ensure_private_folder, write_private

    target = ensure_private_folder(folder)
    with ctx.open_book() as book:
        published = book.report_pack(
            quarter_text, calendar=calendar, report_date=parse_date(as_at, "--as-at")
        )
        chosen = [f.lower() for f in formats] or FORMATS
        # Render everything first, so a failure leaves no partial pack behind it.
        files: list[tuple[Path, bytes]] = []
        for built in published.reports:
            stem = f"{_slug(str(built.quarter))}-{built.team or 'service'}"
            files += [(target / f"{stem}.{fmt}", _render(built, fmt)) for fmt in chosen]
        for path, data in files:
            write_private(path, data)
        # Recorded only once every file is written.
        release = book.record_release(published, calendar=calendar)
    examination = published.examination
    click.echo(
        f"{len(published.reports)} reports for {published.reports[0].quarter}, as at "
        f"{published.reports[0].report_date}: {len(files)} files written to {target} "
        f"(release {release})."
    )
    click.echo(
        f"Intruder check: {len(examination.findings)} suppressed figures or hidden overlaps "
        f"examined, {len(examination.disclosed)} disclosed."
    )


@report.command("audit")
@click.argument("files", nargs=-1, required=True, type=click.Path())
def audit(files: tuple[str, ...]) -> None:
    """Run the intruder check over published JSON reports read together.

    Exits 1, naming each figure, if anything suppressed can be placed within 1 to
    the threshold (or worked out exactly) from the files together; 0 if not.
    """
    import json

    from snt_youth.tracking.exports import from_json_data
    from snt_youth.tracking.intruder import check

    reports = []
    for name in files:
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise Failed(
                f"Cannot read {name} as JSON ({exc}); give the report's .json file."
            ) from None
        reports.append(from_json_data(data, source=name))
    examination = check(reports, exact=False)
    if not examination.consistent:
        click.echo("The files contradict each other: they cannot all be true at once.")
        sys.exit(1)
    found = examination.disclosed
    for finding in found:
        what = "hidden overlap" if finding.region else "suppressed figure"
        click.echo(f"Disclosed: {finding.where} ({what}, worked out as {finding.interval()}).")
    click.echo(
        f"{len(reports)} files, {len(examination.findings)} suppressed figures or hidden "
        f"overlaps examined: {len(found)} disclosed."
    )
    if found:
        sys.exit(1)


@report.command("releases")
@click.option("--quarter", "quarter_text", metavar="Q", help="Only this quarter.")
@click.option("--calendar", is_flag=True, help="Calendar quarters instead of financial.")
@pass_context
def releases(ctx: Context, quarter_text: str | None, calendar: bool) -> None:
    """List the report packs released: quarter, report date, who and when."""
    with ctx.open_book() as book:
        found = book.releases(quarter_text, calendar=calendar)
    if not found:
        click.echo("No quarterly figures have been released yet.")
    for r in found:
        hidden = len(r.suppressed)
        click.echo(
            f"{r.id:>4}  {r.quarter}  as at {r.report_date}  {r.reports} reports, "
            f"{hidden} figures suppressed  released {r.released_at:%Y-%m-%d %H:%M} "
            f"by {r.released_by}"
        )
