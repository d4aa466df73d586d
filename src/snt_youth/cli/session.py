"""Direct-work sessions: record, list, show."""

from __future__ import annotations

import datetime as dt

import click

from snt_youth import model
from snt_youth.cli import params
from snt_youth.cli.context import Context, echo_json, parse_date, pass_context


@click.group()
def session() -> None:
    """Record and look back at direct-work sessions ("who tried to keep you safe?").

    A session records who the young person named, in which column of the matrix,
    and what they did, in the young person's own words. At least one person named
    gives "protective adult identified: yes".
    """


@session.command("record")
@click.argument("case_ref", type=params.CASE_REF)
@click.option(
    "--matrix", "matrix_id", type=params.NAME, required=True, help="Matrix id (see 'matrix list')."
)
@click.option(
    "--entry",
    "entry_texts",
    multiple=True,
    type=params.TEXT,
    metavar="PERSON:COLUMN:WORDS",
    help='One box of the matrix, such as "Mum:safe:She took me to Nan\'s"; repeat it.',
)
@click.option(
    "--entries",
    "entries_file",
    type=click.Path(dir_okay=False),
    help="Or: a JSON file of entries (format in docs/direct-work.md).",
)
@click.option(
    "--reflection", type=params.TEXT, help="The young person's reflection, in their words."
)
@click.option("--next-steps", "next_steps", type=params.TEXT, help="What happens next.")
@click.option(
    "--nobody-named",
    is_flag=True,
    help="Record a session in which the young person named no one.",
)
@click.option("--date", "held_on", metavar="YYYY-MM-DD", help="Session date (default today).")
@click.option(
    "--offer", "offer_id", type=params.RECORD_ID, help="The support offer this session delivers."
)
@click.option(
    "--confirm/--not-identified",
    "confirmed",
    default=None,
    help="Confirm the outcome, or record that on reflection no protective adult was named.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stored session as JSON.")
@pass_context
def record(
    ctx: Context,
    case_ref: str,
    matrix_id: str,
    entry_texts: tuple[str, ...],
    entries_file: str | None,
    reflection: str | None,
    next_steps: str | None,
    nobody_named: bool,
    held_on: str | None,
    offer_id: int | None,
    confirmed: bool | None,
    as_json: bool,
) -> None:
    """Record a session for CASE_REF, with each box of the matrix the young person filled.

    \b
    Example:
      snt-youth session record YJ-1001 --matrix who-kept-me-safe
        --entry "Mum:safe:She took me to Nan's" --entry "my teacher:steady" --offer 12
    Each --entry is PERSON:COLUMN:WORDS (the words may be left out). An entries file
    (--entries FILE.json) works too.
    """
    from snt_youth.protect import read_entries_file

    given = sum(bool(x) for x in (entry_texts, entries_file, nobody_named))
    if given != 1:
        raise click.UsageError(
            "Give the entries with --entry PERSON:COLUMN:WORDS (repeat it), or --entries "
            "FILE.json, or --nobody-named if the young person named no one."
        )
    entries: list[model.MatrixEntry] = []
    if entries_file:
        data = read_entries_file(entries_file)
        if data.matrix_id and data.matrix_id != matrix_id:
            raise click.UsageError(
                f"{entries_file} is for matrix {data.matrix_id!r} but --matrix is {matrix_id!r}."
            )
        entries = list(data.entries)
        reflection = reflection or data.reflection
        next_steps = next_steps or data.next_steps
    else:
        entries = [_entry(text) for text in entry_texts]
    with ctx.open_book() as book:
        stored = book.record_session(
            case_ref,
            matrix_id,
            entries,
            held_on=parse_date(held_on, "--date"),
            reflection=reflection or "",
            next_steps=next_steps or "",
            offer_id=offer_id,
            confirmed=confirmed,
        )
        open_offers = [] if offer_id else book.offers_open_for_session(case_ref, stored.held_on)
    if as_json:
        echo_json(stored)
        return
    found = "yes" if stored.protective_adult_identified else "no"
    click.echo(f"Session {stored.id} recorded for {case_ref} ({_count(len(stored.entries))}).")
    click.echo(f"Protective adult identified: {found}")
    if offer_id:
        click.echo(f"Counted as attendance for support offer {offer_id}.")
    elif open_offers:
        listed = ", ".join(f"{o.id} ({o.service})" for o in open_offers)
        click.echo(f"Not linked to a support offer. Open offers it could count for: {listed}.")


def _entry(text: str) -> model.MatrixEntry:
    """``PERSON:COLUMN:WORDS`` as an entry; the words may hold colons of their own."""
    person, sep, rest = text.partition(":")
    domain, _sep, words = rest.partition(":")
    if not sep or not person.strip() or not domain.strip():
        raise click.BadParameter(
            f'{text!r} is not PERSON:COLUMN:WORDS; write it like "Mum:safe:She hid me".',
            param_hint="--entry",
        )
    return model.MatrixEntry(person.strip(), domain.strip(), words.strip())


def _count(entries: int) -> str:
    return "1 entry" if entries == 1 else f"{entries} entries"


@session.command("list")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def list_(ctx: Context, case_ref: str, as_json: bool) -> None:
    """List a young person's direct-work sessions."""
    with ctx.open_book() as book:
        sessions = book.sessions(case_ref)
    if as_json:
        echo_json(sessions)
        return
    if not sessions:
        click.echo(f"No sessions recorded for {case_ref}.")
    for s in sessions:
        found = "yes" if s.protective_adult_identified else "no"
        offer = f"  offer {s.offer_id}" if s.offer_id else ""
        click.echo(
            f"{s.id:>5}  {s.held_on}  {s.matrix_id:<18} {_count(len(s.entries))}  "
            f"protective adult identified: {found}{offer}"
        )


@session.command("show")
@click.argument("session_id", type=params.RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def show(ctx: Context, session_id: int, as_json: bool) -> None:
    """Show one session with its entries."""
    with ctx.open_book() as book:
        s = book.session(session_id)
    if as_json:
        echo_json(s)
        return
    click.echo(f"Session {s.id} for {s.case_ref} on {s.held_on}, with {s.facilitator}")
    click.echo(f"Matrix: {s.matrix_id} {s.matrix_version}")
    for e in s.entries:
        click.echo(f"  {e.person:<14} {e.domain:<8} {e.words}")
    if s.reflection:
        click.echo(f"Reflection: {s.reflection}")
    if s.next_steps:
        click.echo(f"Next steps: {s.next_steps}")
    found = "yes" if s.protective_adult_identified else "no"
    confirmed = " (confirmed by the facilitator)" if s.confirmed_by_facilitator else ""
    click.echo(f"Protective adult identified: {found}{confirmed}")


@session.command("amend")
@click.argument("session_id", type=params.RECORD_ID)
@click.option("--reason", required=True, type=params.TEXT, help="Why the session is corrected.")
@click.option("--on", "held_on", type=params.DATE, help="Corrected date the session was held.")
@click.option("--reflection", type=params.TEXT, help="Corrected reflection.")
@click.option("--next-steps", type=params.TEXT, help="Corrected next steps.")
@pass_context
def amend(
    ctx: Context,
    session_id: int,
    reason: str,
    held_on: dt.date | None,
    reflection: str | None,
    next_steps: str | None,
) -> None:
    """Correct SESSION_ID's date, reflection or next steps, with a reason.

    The audit trail keeps the reason and the old and new value of each field.
    """
    with ctx.open_book() as book:
        s = book.amend_session(
            session_id,
            reason=reason,
            held_on=held_on,
            reflection=reflection,
            next_steps=next_steps,
        )
    click.echo(f"Corrected session {s.id} for {s.case_ref} (held on {s.held_on}).")
