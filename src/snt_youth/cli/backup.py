"""Full backup and restore; backups are encrypted unless --plain."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from snt_youth.cli.context import Context, Failed, pass_context

PASSPHRASE_ENV = "SNT_YOUTH_BACKUP_PASSPHRASE"


def _passphrase(file: str | None, ask: bool, *, confirm: bool) -> str | None:
    """The backup passphrase: --passphrase-file, else typed (--passphrase), else the
    environment variable; None means "use the database key"."""
    if file is not None:
        try:
            text = Path(file).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "it is not text"
            raise Failed(f"Cannot read the passphrase file {file} ({reason}).") from None
        text = text.rstrip("\r\n")
        if not text:
            raise Failed(f"The passphrase file {file} is empty; put the passphrase in it.")
        return text
    if ask:
        if not sys.stdin.isatty():
            raise Failed("--passphrase types the passphrase at a terminal; use --passphrase-file.")
        typed: str = click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm)
        if not typed:
            raise Failed("The passphrase is empty; type one with some characters.")
        return typed
    return os.environ.get(PASSPHRASE_ENV) or None


_PASSPHRASE_FILE = click.option(
    "--passphrase-file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help=f"Lock (or open) the backup with the passphrase in FILE. Default: {PASSPHRASE_ENV}, "
    "or the database key.",
)
_ASK = click.option(
    "--passphrase", "ask", is_flag=True, help="Type the passphrase (asked twice on export)."
)


@click.command()
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@_PASSPHRASE_FILE
@_ASK
@click.option(
    "--plain",
    is_flag=True,
    help="Write plain, unencrypted JSON (recorded in the audit trail).",
)
@pass_context
def export(
    ctx: Context, output: str | None, passphrase_file: str | None, ask: bool, plain: bool
) -> None:
    """Write a full, versioned, encrypted backup of every record.

    The backup is encrypted (AES-256-GCM): with a passphrase from --passphrase-file,
    --passphrase or SNT_YOUTH_BACKUP_PASSPHRASE, else with this database's own key.
    It holds personal data (case references, known-as, dates of birth): keep it, and
    its key or passphrase, as carefully as the database. The file is created readable
    by you only. Restore it with 'snt-youth import FILE' into an empty database.
    """
    passphrase = None if plain else _passphrase(passphrase_file, ask, confirm=True)
    if plain and (passphrase_file or ask):
        raise Failed("--plain writes an unencrypted backup, so it takes no passphrase.")
    if output is None and not plain and sys.stdout.isatty():
        raise Failed("An encrypted backup is not text for the screen; give -o FILE.")
    with ctx.open_book() as book:
        if output is None:
            book.write_backup(
                lambda payload: click.echo(payload, nl=False),
                where="standard output",
                passphrase=passphrase,
                plain=plain,
            )
            return
        # Audited only once the file is in place (see Casebook.save_backup).
        book.save_backup(output, passphrase=passphrase, plain=plain)
    how = "plain JSON, not encrypted" if plain else "encrypted"
    click.echo(f"Backup written to {output} ({how}).", err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@_PASSPHRASE_FILE
@_ASK
@pass_context
def import_(ctx: Context, file: str, passphrase_file: str | None, ask: bool) -> None:
    """Restore a backup made by 'snt-youth export' into an empty database.

    An encrypted backup opens with its passphrase (--passphrase-file, --passphrase or
    SNT_YOUTH_BACKUP_PASSPHRASE), or with the key of the database it came from: this
    database's own key, or that database's key file given as --passphrase-file.
    All or nothing: if anything in the file is wrong, nothing is imported.
    """
    from snt_youth import backup

    passphrase = _passphrase(passphrase_file, ask, confirm=False)
    with ctx.open_book() as book:
        data = backup.read(file, book.backup_secret(passphrase, required=False))
        counts = book.import_backup(data, source=file)
    click.echo(
        f"Imported {counts['young_people']} young people, {counts['screenings']} screenings, "
        f"{counts['support_offers']} support offers and {counts['sessions']} sessions."
    )
