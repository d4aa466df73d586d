"""Young people on the caseload."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from snt_youth import model
from snt_youth.cli import params
from snt_youth.cli.context import Context, Failed, echo_json, pass_context

GENDERS = [g.value for g in model.Gender]
ETHNICITIES = [e.value for e in model.Ethnicity]


@click.group("young-person")
def young_person() -> None:
    """Add, list and show young people.

    A young person is known by your service's own case reference and, at most, a
    first name or initials. Full names stay in your case management system.
    """


@young_person.command("add")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--dob", required=True, type=params.DATE, help="Date of birth.")
@click.option(
    "--team",
    type=params.TEAM,
    required=True,
    help="Team id from the configuration (see 'config show').",
)
@click.option(
    "--known-as", type=params.NAME, help="First name or initials only, never a full name."
)
@click.option(
    "--gender",
    type=params.NAME,
    default="not stated",
    show_default=True,
    help=f"One of: {', '.join(GENDERS)}.",
)
@click.option(
    "--ethnicity",
    type=params.NAME,
    default="not stated",
    show_default=True,
    help="ONS top-level group: Asian, Black, Mixed, White, Other, or 'not stated'.",
)
@click.option(
    "--language",
    type=params.NAME,
    default="en",
    show_default=True,
    help="en (English) or cy (Welsh).",
)
@click.option("--officer", type=params.NAME, help="Allocated officer.")
@pass_context
def add(
    ctx: Context,
    case_ref: str,
    dob: dt.date,
    team: str,
    known_as: str | None,
    gender: str,
    ethnicity: str,
    language: str,
    officer: str | None,
) -> None:
    """Add a young person with the service's CASE_REF.

    Example: snt-youth young-person add YJ-2041 --dob 2009-05-14 --team north --known-as Kai
    """
    with ctx.open_book() as book:
        person = book.add_young_person(
            case_ref,
            dob,
            team,
            gender=gender,
            ethnicity=ethnicity,
            known_as=known_as,
            language=language,
            officer=officer,
        )
    click.echo(f"Added {person.case_ref} to team {person.team}.")


@young_person.command("list")
@click.option("--team", type=params.TEAM, help="Only this team.")
@click.option("--search", type=params.NAME, help="Part of a case reference or known-as.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def list_(ctx: Context, team: str | None, search: str | None, as_json: bool) -> None:
    """Show the caseload with age, last screening and open support."""
    with ctx.open_book() as book:
        rows = book.caseload(team=team, search=search)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(
            "No young people found. Add one with 'young-person add', or try 'snt-youth demo'."
        )
        return
    click.echo(
        f"{'CASE REF':<12} {'KNOWN AS':<10} {'AGE':>3}  {'TEAM':<6} "
        f"{'LAST SCREENING':<32} {'OPEN SUPPORT':>12}"
    )
    for r in rows:
        last = (
            f"{r.last_stage} {r.last_screened_on}: {r.last_outcome}"
            if r.last_stage
            else ("not screened")
        )
        draft = " (draft open)" if r.drafts else ""
        click.echo(
            f"{r.case_ref:<12} {r.known_as:<10} {r.age:>3}  {r.team:<6} "
            f"{last + draft:<32} {r.open_support:>12}"
        )
    click.echo(f"\n{len(rows)} young people.")


@young_person.command("show")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def show(ctx: Context, case_ref: str, as_json: bool) -> None:
    """Show one young person's details, screenings, support, sessions and notes."""
    with ctx.open_book() as book:
        timeline = book.timeline(case_ref)
        book.record_read("young_person", timeline.person.case_ref, "shown: details and timeline")
    if as_json:
        echo_json(timeline)
        return
    p = timeline.person
    click.echo(f"{p.case_ref}  known as {p.known_as or '-'}  age {timeline.age}  team {p.team}")
    click.echo(
        f"  gender: {p.gender.value}; ethnicity: {p.ethnicity.value}; "
        f"language: {p.language.value}; officer: {p.officer or '-'}"
    )
    for event in timeline.events:
        click.echo(f"  {event.on}  {event.kind:<10} {event.summary}")
    if not timeline.events:
        click.echo("  Nothing recorded yet.")


@young_person.command("move")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--team", type=params.TEAM, required=True, help="The team they move to.")
@pass_context
def move(ctx: Context, case_ref: str, team: str) -> None:
    """Move a young person to another team (a manager or an admin only; audited)."""
    with ctx.open_book() as book:
        before = book.young_person(case_ref)
        person = book.move_young_person(case_ref, team)
    if person.team == before.team:
        click.echo(f"{person.case_ref} is already in team {person.team}.")
        return
    click.echo(f"Moved {person.case_ref} from team {before.team} to team {person.team}.")


@young_person.command("amend")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--reason", required=True, type=params.TEXT, help="Why the details are corrected.")
@click.option("--dob", type=params.DATE, help="Corrected date of birth.")
@click.option("--known-as", type=params.NAME, help="Corrected first name or initials.")
@click.option("--gender", type=params.NAME, help=f"One of: {', '.join(GENDERS)}.")
@click.option("--ethnicity", type=params.NAME, help="Corrected ONS top-level group.")
@click.option("--language", type=params.NAME, help="en (English) or cy (Welsh).")
@click.option("--officer", type=params.NAME, help="Corrected allocated officer.")
@pass_context
def amend(
    ctx: Context,
    case_ref: str,
    reason: str,
    dob: dt.date | None,
    known_as: str | None,
    gender: str | None,
    ethnicity: str | None,
    language: str | None,
    officer: str | None,
) -> None:
    """Correct a young person's details, with a reason.

    The audit trail keeps the reason and the old and new value of each field.
    Example: snt-youth young-person amend YJ-2041 --dob 2009-05-15 --reason "typed wrongly"
    """
    given = {
        "date_of_birth": dob,
        "known_as": known_as,
        "gender": gender,
        "ethnicity": ethnicity,
        "language": language,
        "officer": officer,
    }
    changes: dict[str, Any] = {name: value for name, value in given.items() if value is not None}
    with ctx.open_book() as book:
        person = book.amend_young_person(case_ref, reason=reason, **changes)
    click.echo(f"Corrected {person.case_ref}: {', '.join(sorted(changes)) or 'nothing'}.")


@young_person.command("amend-note")
@click.argument("note_id", type=params.RECORD_ID)
@click.option("--reason", required=True, type=params.TEXT, help="Why the note is corrected.")
@click.option("--text", type=params.TEXT, help="The corrected text of the note.")
@click.option("--on", "written_on", type=params.DATE, help="The corrected date of the note.")
@pass_context
def amend_note(
    ctx: Context, note_id: int, reason: str, text: str | None, written_on: dt.date | None
) -> None:
    """Correct case note NOTE_ID's text or date, with a reason.

    The audit trail keeps the reason and the old and new text.
    """
    with ctx.open_book() as book:
        note = book.amend_note(note_id, reason=reason, text=text, written_on=written_on)
    click.echo(f"Corrected case note {note.id} for {note.case_ref}.")


@young_person.command("erase")
@click.argument("case_ref", type=params.CASE_REF)
@click.option(
    "--reason",
    required=True,
    type=params.TEXT,
    help="Why (for example a request under data protection law). Do not name the young person.",
)
@click.option("--confirm", is_flag=True, help="Yes, delete them now: this cannot be undone.")
@pass_context
def erase(ctx: Context, case_ref: str, reason: str, confirm: bool) -> None:
    """Erase CASE_REF and every record attached, now (as weeding does).

    The audit trail keeps one event saying a record was erased and why, with
    nothing that names the young person.
    """
    with ctx.open_book() as book:
        person = book.young_person(case_ref)
        if not confirm:
            raise Failed(
                f"{person.case_ref} and every record attached would be deleted; nothing was "
                "deleted. Add --confirm to erase them (this cannot be undone)."
            )
        result = book.erase_young_person(person.case_ref, reason=reason)
    removed = sum(n for table, n in result.rows.items() if table != "young_people")
    click.echo(f"Erased {result.case_ref} and {removed} records attached.")


@young_person.command("sar")
@click.argument("case_ref", type=params.CASE_REF)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="FILE.pdf (for the young person and family) or FILE.json (for information governance).",
)
@pass_context
def sar(ctx: Context, case_ref: str, output: str) -> None:
    """Write everything held about CASE_REF (a subject access request).

    The copy holds their details, screenings with the answers in words, support,
    sessions with the matrix entries, notes, and the audit events about them.
    Making it is recorded in the audit trail: who, when, and which young person.
    """
    from pathlib import Path

    suffix = Path(output).suffix.lower()
    if suffix not in (".pdf", ".json"):
        raise Failed(f"Write the copy as FILE.pdf or FILE.json, not {Path(output).name!r}.")
    with ctx.open_book() as book:
        book.young_person(case_ref)  # an unknown reference is one sentence, nothing audited
        from snt_youth.printing.sar_pdf import write_sar

        copy = book.subject_access(case_ref, output=f"a {suffix[1:].upper()} file")
        written = write_sar(copy, output, book.config)
    counts = (
        f"{len(copy.screenings)} screenings, {len(copy.offers)} offers, "
        f"{len(copy.sessions)} sessions, {len(copy.notes)} notes, {len(copy.audit)} audit events"
    )
    click.echo(f"Wrote {written} for {copy.person.case_ref}: {counts}.")
