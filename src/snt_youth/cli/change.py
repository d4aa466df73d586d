"""``snt-youth report change``: what changed between the two screenings.

The command is added to the ``report`` group here (``report.add_command``), so
``cli/report.py`` stays as it is; ``COMMANDS`` in ``cli/__init__.py`` loads the
group from this module.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from snt_youth.cli.context import Context, Failed, parse_date, pass_context
from snt_youth.cli.report import report

FORMATS = ["csv", "xlsx", "json", "pdf"]


@report.command("change")
@click.option(
    "--year", "year", required=True, metavar="YYYY-YY", help="Financial year, e.g. 2025-26."
)
@click.option("--team", help="One team only (team id from 'config show').")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    help="Output format (default: from the -o file name, else a summary on screen).",
)
@click.option("-o", "--output", type=click.Path(), help="File to write.")
@click.option("--as-at", "as_at", metavar="YYYY-MM-DD", help="Report date (default today).")
@pass_context
def change(
    ctx: Context,
    year: str,
    team: str | None,
    fmt: str | None,
    output: str | None,
    as_at: str | None,
) -> None:
    """What changed for young people between their pre-court and post-court screenings.

    Covers young people whose post-court screening is in the year. Small numbers are
    suppressed and the intruder check is run before anything is written.

    \b
    Examples:
      snt-youth report change --year 2025-26
      snt-youth report change --year 2025-26 -o change.pdf
      snt-youth report change --year 2025-26 --team north -o north.xlsx
    """
    if fmt is None and output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise Failed(f"Cannot tell the format from {output!r}: add --format csv|xlsx|json|pdf.")
        fmt = suffix
    with ctx.open_book() as book:
        built = book.change_report(year, team=team, report_date=parse_date(as_at, "--as-at"))
    if fmt is None:
        from snt_youth.tracking.change import summary

        click.echo(built.title)
        click.echo(summary(built))
        click.echo("Write it out with --format csv|xlsx|json|pdf -o FILE.")
        return
    fmt = fmt.lower()
    if fmt == "pdf":
        from snt_youth.printing.change_pdf import render_change_pdf

        data = render_change_pdf(built)
    else:
        from snt_youth.tracking.change_exports import render

        data = render(built, fmt)
    if output is None:
        if fmt in ("xlsx", "pdf"):
            raise Failed(f"{fmt.upper()} output needs a file: add -o FILE.{fmt}.")
        sys.stdout.write(data.decode("utf-8"))
        return
    from snt_youth.private_files import write_private

    written = write_private(output, data)
    click.echo(f"{built.title}, as at {built.report_date}: written to {written}.")


__all__ = ["change", "report"]
