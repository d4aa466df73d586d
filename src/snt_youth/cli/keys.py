"""Encryption at rest: encrypt a plain database, change its key, keep a copy of it."""

from __future__ import annotations

import click

from snt_youth.cli.context import Context, pass_context


def _rows(counts: dict[str, int]) -> str:
    return f"{counts.get('young_people', 0)} young people, {sum(counts.values())} rows in all"


@click.command()
@pass_context
def encrypt(ctx: Context) -> None:
    """Encrypt a plain (unencrypted) SQLite database in place.

    The records are copied into a new encrypted file, every table's rows are counted
    in both, and only then does the new file replace the old one, so a stop at any
    point leaves the old file or the new one, never half of each. The key is the one
    given (--key-file or SNT_YOUTH_KEY), or a new one kept in the keyring or a key
    file, as for a new database. Close every other snt-youth first.
    """
    from snt_youth.casebook import encryption

    done = encryption.encrypt(
        ctx.db_url, user=ctx.user, key_file=ctx.key_file, config_path=ctx.config_path
    )
    click.echo(f"Encrypted {done.database}: {_rows(done.counts)}, all checked.")
    click.echo(f"Its key is in {done.key_where}. Keep a copy safe: snt-youth key save FILE")


@click.command()
@click.option(
    "--new-key-file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write the new key to FILE (needed when the key comes from SNT_YOUTH_KEY).",
)
@pass_context
def rekey(ctx: Context, new_key_file: str | None) -> None:
    """Change the key of an encrypted database to a new random key.

    The file is rewritten with the new key and checked before it replaces the old
    one; the new key goes where the old one was kept (the keyring, the key file, or
    --key-file's file), or to --new-key-file. Old backups locked with the old key
    still need the old key: keep its copy until they are no longer needed.
    """
    from snt_youth.casebook import encryption

    done = encryption.rekey(
        ctx.db_url,
        user=ctx.user,
        key_file=ctx.key_file,
        new_key_file=new_key_file,
        config_path=ctx.config_path,
    )
    click.echo(f"New key for {done.database}: {_rows(done.counts)}, all checked.")
    click.echo(f"The new key is in {done.key_where}. Keep a copy safe: snt-youth key save FILE")


@click.group()
def key() -> None:
    """Where the database key is, and a copy of it to keep safe."""


@key.command("where")
@pass_context
def key_where(ctx: Context) -> None:
    """Say where the key of this database is kept (never the key itself)."""
    with ctx.open_book(create=False) as book:
        state = book.encryption
        if state.state == "encrypted":
            click.echo(f"{book.database} is encrypted; its key is in {state.key_where}.")
        elif state.state == "plain":
            click.echo(f"{book.database} is not encrypted, so it has no key.")
        else:
            click.echo(f"{book.database} is on a server: protect it with disk encryption and TLS.")


@key.command("save")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_context
def key_save(ctx: Context, file: str) -> None:
    """Write a copy of the database key to FILE (readable by you only), to keep safe.

    With the copy, the database opens anywhere with --key-file FILE, and backups
    locked with this key open with 'snt-youth import BACKUP --passphrase-file FILE'.
    Keep it apart from the database and its backups (a password manager, a safe).
    """
    with ctx.open_book(create=False) as book:
        written = book.save_key(file)
    click.echo(f"A copy of the key is in {written}. Keep it apart from the database.")
