"""Named users and roles (``admin user ...``), and ``whoami``."""

from __future__ import annotations

import click

from snt_youth.cli import params
from snt_youth.cli.context import Context, echo_json, pass_context

ROLES = ("officer", "champion", "manager", "admin")


@click.group()
def admin() -> None:
    """Set up the service: named users, their roles and teams."""


@admin.group("user")
def user() -> None:
    """Add, list and disable users, and set their teams.

    On PostgreSQL each user is a login role, and the database itself shows them only
    the young people of their teams. Run these as the schema owner.
    """


def _teams_text(teams: tuple[str, ...]) -> str:
    return ", ".join(teams) if teams else "all teams"


@user.command("add")
@click.argument("name", type=params.NAME)
@click.option("--role", required=True, type=click.Choice(ROLES), help="What they may do.")
@click.option("--team", "teams", multiple=True, type=params.TEAM, help="A team (repeat for more).")
@pass_context
def user_add(ctx: Context, name: str, role: str, teams: tuple[str, ...]) -> None:
    """Add the user NAME with a role and teams.

    Example: snt-youth admin user add r.ahmed --role officer --team north
    """
    with ctx.open_book() as book:
        added = book.add_user(name, role, teams)
        where = book.database
    click.echo(f"Added {added.name} ({added.role}; {_teams_text(added.teams)}).")
    if added.login != added.name:
        click.echo(f"They log in to {where} as the database role {added.login}.")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def user_list(ctx: Context, as_json: bool) -> None:
    """Show every user, their role, teams and login."""
    with ctx.open_book() as book:
        users = book.users()
    if as_json:
        echo_json(users)
        return
    if not users:
        click.echo("No users yet. Add one with 'snt-youth admin user add NAME --role ROLE'.")
        return
    for u in users:
        state = "  (disabled)" if u.disabled else ""
        click.echo(f"{u.name:<16} {u.role:<9} {_teams_text(u.teams):<24} {u.login}{state}")


@user.command("disable")
@click.argument("name", type=params.NAME)
@pass_context
def user_disable(ctx: Context, name: str) -> None:
    """Stop NAME logging in. What they recorded, and the audit trail, stay."""
    with ctx.open_book() as book:
        book.disable_user(name)
    click.echo(f"{name} can no longer log in.")


@user.command("teams")
@click.argument("name", type=params.NAME)
@click.option("--team", "teams", multiple=True, type=params.TEAM, help="A team (repeat for more).")
@pass_context
def user_teams(ctx: Context, name: str, teams: tuple[str, ...]) -> None:
    """Set NAME's teams (replacing the ones they had). A manager with none sees all."""
    with ctx.open_book() as book:
        changed = book.set_user_teams(name, teams)
    click.echo(f"{changed.name} now has: {_teams_text(changed.teams)}.")


@user.command("grants")
@pass_context
def user_grants(ctx: Context) -> None:
    """Give every role its grants again: run after 'init' upgraded a PostgreSQL database."""
    with ctx.open_book() as book:
        groups = book.refresh_grants()
    if groups:
        click.echo(f"Grants given again to {groups} group roles.")
    else:
        click.echo("No group roles here yet (there are none on SQLite, or before the first user).")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def whoami(ctx: Context, as_json: bool) -> None:
    """Show who you are, your role and the teams you can see."""
    with ctx.open_book() as book:
        me = book.whoami()
    if as_json:
        echo_json(me)
        return
    click.echo(
        f"You are {me.name}"
        + (f" (login {me.login})." if me.login and me.login != me.name else ".")
    )
    role = me.role or "the only user of this file"
    click.echo(f"Role: {role}.")
    click.echo(f"You see: {'every team' if me.sees_all else ', '.join(me.teams)}.")
    if me.enforced:
        click.echo("The database itself holds you to these teams.")
