"""Retention: who is due to be weeded, and weeding them."""

from __future__ import annotations

import datetime as dt

import click

from snt_youth.cli import params
from snt_youth.cli.context import Context, Failed, echo_json, pass_context


@click.group("retention")
def retention() -> None:
    """Keep records only as long as your service's retention policy says.

    The policy is the [retention] section of the configuration: records are kept for
    a number of years after the later of the last contact and the 18th birthday.
    """


@retention.command("review")
@click.option("--as-at", "as_at", type=params.DATE, help="Review as at this date (default today).")
@click.option("--all", "show_all", is_flag=True, help="List everyone, with the day they fall due.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def review(ctx: Context, as_at: dt.date | None, show_all: bool, as_json: bool) -> None:
    """List the young people whose records are due to be weeded, with the reason."""
    with ctx.open_book() as book:
        day = as_at or book.clock.today()
        found = book.retention_review(day, due_only=not show_all)
        years = book.config.retention.years_after_last_contact
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo(f"No records are due to be weeded as at {day}.")
        return
    due = sum(1 for d in found if d.due)
    for d in found:
        mark = "due    " if d.due else "not yet"
        open_note = f"; {d.open_support} support still open" if d.open_support else ""
        click.echo(f"{mark} {d.case_ref:<14} {d.reason}{open_note}")
    click.echo(
        f"\n{due} of {len(found)} listed are due as at {day} (kept {years} years). "
        "To weed them: snt-youth retention apply --as-at DATE --confirm"
    )


@retention.command("apply")
@click.option(
    "--as-at", "as_at", type=params.DATE, required=True, help="Weed what is due on this date."
)
@click.option("--confirm", is_flag=True, help="Yes, delete them: this cannot be undone.")
@pass_context
def apply(ctx: Context, as_at: dt.date, confirm: bool) -> None:
    """Delete every young person due as at --as-at, with every record attached.

    Each young person is deleted in their own transaction. The audit trail keeps one
    event for each, saying a record was weeded and why, with nothing that names them.
    Run 'retention review' first to see who is due.
    """
    with ctx.open_book() as book:
        due = book.retention_review(as_at)
        if not confirm:
            raise Failed(
                f"{_people(len(due))} {'is' if len(due) == 1 else 'are'} due as at {as_at}; "
                "nothing was deleted. "
                "Add --confirm to weed them (this cannot be undone)."
            )
        if not due:
            click.echo(f"No records are due to be weeded as at {as_at}.")
            return
        with click.progressbar(length=len(due), label="Weeding") as bar:
            run = book.apply_retention(as_at, progress=bar.update)
    click.echo(f"Weeded {_people(len(run.weeded))} as at {as_at}.")
    if run.no_longer_due:
        click.echo(
            f"Kept {len(run.no_longer_due)} whose records changed since the review: "
            + ", ".join(run.no_longer_due)
        )


def _people(n: int) -> str:
    return "1 young person" if n == 1 else f"{n} young people"
