"""Administration commands: init, demo, config."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from snt_youth.cli.context import Context, echo_json, pass_context

if TYPE_CHECKING:
    from snt_youth.casebook import Encryption


@click.command()
@click.option(
    "--plain",
    is_flag=True,
    help="Make a new SQLite database without encryption at rest (recorded in the audit "
    "trail and shown by 'config show').",
)
@pass_context
def init(ctx: Context, plain: bool) -> None:
    """Create the database, or upgrade it to this version's schema.

    A new SQLite database is encrypted with a new random key, kept in the system
    keyring or a key file with no typing (see 'snt-youth key where'). Safe to run
    again: an up-to-date database is left as it is. A database written by a newer
    snt-youth is refused and left untouched.
    """
    with ctx.open_book(create=True, plain=plain) as book:
        state = book.encryption
        if plain and state.state == "plain":
            book.record_plain_choice()
        counts = book.counts()
        click.echo(f"Database ready: {book.database} (schema {book.schema_revision}).")
        click.echo(_encryption_line(book.encryption))
        click.echo(
            f"{counts['young_people']} young people, {counts['screenings']} screenings, "
            f"{counts['support_offers']} support offers, {counts['sessions']} sessions."
        )


def _encryption_line(state: Encryption | str) -> str:
    """One line on encryption at rest, for init and config show."""
    if isinstance(state, str):
        return f"Encryption at rest: {state}"
    if state.state == "encrypted":
        return f"Encryption at rest: on (key in {state.key_where})"
    if state.state == "server":
        return "Encryption at rest: the server's (use disk encryption and TLS; see docs/admin.md)"
    if state.plain_choice:
        return f"Encryption at rest: off, chosen with 'init --plain' {state.plain_choice}"
    return "Encryption at rest: off (an older plain file); encrypt it with 'snt-youth encrypt'"


def _database_encryption(ctx: Context) -> Encryption | str:
    from snt_youth.errors import SntError

    try:
        with ctx.open_book(create=False) as book:
            return book.encryption
    except SntError as exc:
        return f"unknown, the database did not open ({exc})"


@click.command()
@click.option("--young-people", "n", default=150, show_default=True, help="How many to create.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--if-empty",
    is_flag=True,
    help="If the database already has young people, say so and exit 0 instead of failing.",
)
@pass_context
def demo(ctx: Context, n: int, seed: int, if_empty: bool) -> None:
    """Load a synthetic caseload to explore snt-youth.

    Creates young people across every team with pre-court and post-court
    screenings over several quarters, support offers at every step of the funnel,
    direct-work sessions and case notes. Everything is made up. It refuses to
    run on a database that already has young people, so real records are never
    mixed with demo ones.
    """
    from snt_youth import demo as demo_module

    if n < 1:
        raise click.BadParameter("give at least 1", param_hint="--young-people")
    with ctx.open_book() as book:
        if if_empty and not book.is_empty():
            click.echo(f"{book.database} already has young people; no demo data added.")
            return
        with click.progressbar(length=n, label="Creating demo caseload") as bar:
            summary = demo_module.populate(book, n=n, seed=seed, progress=bar.update)
        click.echo(
            f"Demo data loaded into {book.database}: {summary['young_people']} young people, "
            f"{summary['screenings']} screenings, {summary['offers']} support offers, "
            f"{summary['sessions']} sessions."
        )
        click.echo("Next: snt-youth young-person list   (or just: snt-youth)")


@click.group()
def config() -> None:
    """Show and check the service configuration."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def config_show(ctx: Context, as_json: bool) -> None:
    """Print the configuration in use, after checking it.

    The configuration comes from --config, SNT_YOUTH_CONFIG, or the shipped
    generic default. A bad file is reported with its key and the problem.
    """
    cfg = ctx.config()
    if as_json:
        echo_json(cfg)
        return
    click.echo(f"Configuration: {cfg.source}")
    click.echo(f"Service: {cfg.service.name}  (instrument: {cfg.service.instrument})")
    click.echo("\nTeams and Safe & Together champions:")
    for team in cfg.teams:
        click.echo(f"  {team.id:<10} {team.name}  [{team.kind}]")
        click.echo(f"  {'':<10} champions: {', '.join(team.champions) or 'none named'}")
    click.echo("\nSupport services:")
    for svc in cfg.support:
        click.echo(f"  {svc.id:<26} {svc.kind:<9} {svc.name}")
    click.echo("\nSafeguarding routes:")
    for route in cfg.safeguarding:
        click.echo(
            f"  ages {route.min_age}-{route.max_age:<3} {route.title}  "
            f"(when: {', '.join(route.triggers)})"
        )
    click.echo("\nSuggested support:")
    for s in cfg.suggestions:
        click.echo(f"  {s.outcome} is {' or '.join(s.levels)} -> {', '.join(s.support)}")
    d = cfg.disclosure
    click.echo(f"\nDisclosure control: {d.method}, threshold {d.threshold}")
    click.echo(_encryption_line(_database_encryption(ctx)))
    click.echo(f"Retention: {cfg.retention.years_after_last_contact} years after last contact")
