"""The ``snt-youth`` command line.

Subcommands live in their own modules and load lazily, so ``snt-youth --help`` and
small commands start fast. To add a command group, write ``cli/<area>.py`` with a
click command or group, and add one line to ``COMMANDS`` below.
"""

from __future__ import annotations

import difflib
import sys
from importlib import import_module
from typing import Any

import click

from snt_youth import __version__
from snt_youth.cli import params
from snt_youth.cli.context import Context, Failed, fail_cleanly

# name -> "module:attribute" (module relative to snt_youth.cli)
COMMANDS: dict[str, str] = {
    "init": "admin:init",
    "demo": "admin:demo",
    "config": "admin:config",
    "audit": "audit:audit",
    "admin": "users:admin",
    "whoami": "users:whoami",
    "export": "research:export",  # the backup, and "export research"
    "import": "backup:import_",
    "young-person": "people:young_person",
    "lint-notes": "language:lint_notes",
    "review": "review:review",
    "session": "session:session",
    "support": "support:support",
    "report": "change:report",  # cli/change.py adds "change" to the report group
    "retention": "retention:retention",
    "matrix": "matrix:matrix",
    "screening": "screening:screening",
    "worksheet": "worksheet:worksheet",
    "tui": "tui:tui",
    "encrypt": "keys:encrypt",
    "rekey": "keys:rekey",
    "key": "keys:key",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Every argument of every command is outside text: refuse undecodable bytes once,
        # here, before any command sees them.
        problem = params.undecodable_argument(args)
        if problem is not None:
            raise Failed(problem)
        return super().parse_args(ctx, args)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = click.utils.make_str(args[0]) if args else ""
            if self.get_command(ctx, name) is not None or name.startswith("-"):
                raise
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=2, cutoff=0.75)
            if close:
                suggestion = " or ".join(map(repr, close))
                raise click.UsageError(
                    f"No such command {name!r}. Did you mean {suggestion}?", exc.ctx
                ) from None
            raise

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attr = COMMANDS[cmd_name].split(":")
            module = import_module(f"snt_youth.cli.{module_name}")
            command: click.Command = getattr(module, attr)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        with fail_cleanly():
            result = super().invoke(ctx)
        # A refusal stays one sentence: the notice of a new key comes only after success.
        notice = ctx.obj.key_notice() if isinstance(ctx.obj, Context) else None
        if notice is not None:
            click.echo(notice, err=True)
        return result


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--db",
    envvar="SNT_YOUTH_DB",
    metavar="URL",
    type=params.DATABASE_URL,
    help="Database URL (SQLAlchemy). Default: SNT_YOUTH_DB, or the embedded SQLite file "
    "in your user data folder.",
)
@click.option(
    "--user",
    envvar="SNT_YOUTH_USER",
    metavar="NAME",
    type=params.NAME,
    help="Who is making changes, recorded in the audit trail (SQLite). Default: "
    "SNT_YOUTH_USER, or your login name. On PostgreSQL you are the role you log in as, "
    "and a name for anyone else is refused.",
)
@click.option(
    "--config",
    "config_path",
    envvar="SNT_YOUTH_CONFIG",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Service configuration TOML. Default: SNT_YOUTH_CONFIG, or the shipped generic one.",
)
@click.option(
    "--key-file",
    envvar="SNT_YOUTH_KEY_FILE",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="The database key (64 hexadecimal characters) in FILE. Default: SNT_YOUTH_KEY, "
    "or where snt-youth keeps it (the keyring, or a key file in your config folder).",
)
@click.version_option(__version__, prog_name="snt-youth")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    user: str | None,
    config_path: str | None,
    key_file: str | None,
) -> None:
    """Safe & Together screening, direct work and support tracking for youth justice.

    Run with no command to open the terminal app. Common starting points:

    \b
      snt-youth demo                      load a synthetic caseload to try things out
      snt-youth young-person list         see the caseload
      snt-youth screening start REF --stage pre-court
      snt-youth report quarterly --format xlsx -o q.xlsx

    Every command has --help.
    """
    ctx.obj = Context(db_url=db, user=user, config_path=config_path, key_file=key_file)
    if ctx.invoked_subcommand is None:
        if "tui" not in COMMANDS or not (sys.stdin.isatty() and sys.stdout.isatty()):
            # Not at a terminal (a script or a pipe): the app cannot run, so show help.
            click.echo(ctx.get_help())
            return
        tui = cli.get_command(ctx, "tui")
        assert tui is not None
        ctx.invoke(tui)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="snt-youth")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
