"""``snt-youth export``: the full backup (as before), and ``export research``.

``export`` is a group that still writes the backup when no subcommand is given, by
calling the backup command of ``cli/backup.py`` unchanged; ``COMMANDS`` in
``cli/__init__.py`` loads this group instead of the plain command.
"""

from __future__ import annotations

import click

from snt_youth.cli import backup
from snt_youth.cli.context import Context, parse_date, pass_context


@click.group(invoke_without_command=True)
@click.option("-o", "--output", type=click.Path(), help="Backup file to write (default: stdout).")
@click.option(
    "--passphrase-file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help=f"Lock the backup with the passphrase in FILE. Default: {backup.PASSPHRASE_ENV}, "
    "or the database key.",
)
@click.option("--passphrase", "ask", is_flag=True, help="Type the passphrase (asked twice).")
@click.option(
    "--plain",
    is_flag=True,
    help="Write plain, unencrypted JSON (recorded in the audit trail).",
)
@click.pass_context
def export(
    ctx: click.Context,
    output: str | None,
    passphrase_file: str | None,
    ask: bool,
    plain: bool,
) -> None:
    """Write a full, versioned, encrypted backup of every record (or, with
    'research', a de-identified extract for evaluation).

    The backup is encrypted (AES-256-GCM): with a passphrase from --passphrase-file,
    --passphrase or SNT_YOUTH_BACKUP_PASSPHRASE, else with this database's own key.
    It holds personal data (case references, known-as, dates of birth): keep it, and
    its key or passphrase, as carefully as the database. The file is created readable
    by you only. Restore it with 'snt-youth import FILE' into an empty database.

    \b
      snt-youth export -o backup.snt             the full backup, encrypted
      snt-youth export research -o extract-2026  the research extract
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(
            backup.export, output=output, passphrase_file=passphrase_file, ask=ask, plain=plain
        )


@export.command("research")
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(file_okay=False),
    help="Empty folder to write the CSV files in.",
)
@click.option("--since", metavar="YYYY-MM-DD", help="Only events on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only events on or before this date.")
@pass_context
def research(ctx: Context, folder: str, since: str | None, until: str | None) -> None:
    """A de-identified extract for an evaluator: CSV files and a data dictionary.

    Pseudonyms are new in every extract; dates are moved by a random number of days
    for each young person (so intervals are kept); there is no free text; small
    groups are coarsened until every combination of team, gender, ethnic group and
    age is held by at least k young people (the [research] k setting, default 5).
    The key stays in the database, and the extract is audited.
    """
    with ctx.open_book() as book:
        result = book.research_extract(
            folder, since=parse_date(since, "--since"), until=parse_date(until, "--until")
        )
    c = result.coarsening
    click.echo(
        f"Research extract {result.extract}: {len(result.files)} files for "
        f"{result.people} young people written to {result.folder}."
    )
    for line in c.describe():
        click.echo(line)


__all__ = ["export", "research"]
