"""Full backup and restore."""

from __future__ import annotations

import click

from snt_youth.cli.context import Context, pass_context


@click.command()
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@pass_context
def export(ctx: Context, output: str | None) -> None:
    """Write a full, versioned JSON backup of every record.

    The backup holds personal data (case references, known-as, dates of birth):
    keep it as carefully as the database. The file is created readable by you
    only. Restore it with 'snt-youth import FILE' into an empty database.
    """
    with ctx.open_book() as book:
        if output is None:
            book.write_backup(lambda text: click.echo(text, nl=False), where="standard output")
            return
        # Audited only once the file is in place (see Casebook.save_backup).
        book.save_backup(output)
    click.echo(f"Backup written to {output}.", err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_context
def import_(ctx: Context, file: str) -> None:
    """Restore a backup made by 'snt-youth export' into an empty database.

    All or nothing: if anything in the file is wrong, nothing is imported.
    """
    from snt_youth import backup

    data = backup.read(file)
    with ctx.open_book() as book:
        counts = book.import_backup(data, source=file)
    click.echo(
        f"Imported {counts['young_people']} young people, {counts['screenings']} screenings, "
        f"{counts['support_offers']} support offers and {counts['sessions']} sessions."
    )
