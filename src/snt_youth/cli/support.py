"""Support offers: offer; accept, decline, contact, start, end (or update several at once); list."""

from __future__ import annotations

import datetime as dt

import click

from snt_youth import model
from snt_youth.cli import params
from snt_youth.cli.context import Context, echo_json, parse_date, pass_context

RESPONSES = [r.value for r in model.OfferResponse]
END_REASONS = [r.value for r in model.EndReason]


@click.group()
def support() -> None:
    """Record support offered to young people, and how they take it up.

    Each offer is an internal intervention or an external referral (the kind comes
    from the service in the configuration: see 'snt-youth config show'). Offers feed
    the quarterly figures: offered, accepted, attended at least once, completed.
    """


@support.command("offer")
@click.argument("case_ref", type=params.CASE_REF)
@click.option(
    "--service", type=params.TEAM, required=True, help="Support service id from the configuration."
)
@click.option(
    "--stage",
    type=click.Choice(["pre-court", "post-court"], case_sensitive=False),
    help="Stage (taken from --screening if not given).",
)
@click.option(
    "--screening", "screening_id", type=params.RECORD_ID, help="The screening that led to it."
)
@click.option("--date", "offered_on", metavar="YYYY-MM-DD", help="Date offered (default today).")
@click.option(
    "--response",
    type=click.Choice(RESPONSES, case_sensitive=False),
    default=model.OfferResponse.NO_RESPONSE.value,
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def offer(
    ctx: Context,
    case_ref: str,
    service: str,
    stage: str | None,
    screening_id: int | None,
    offered_on: str | None,
    response: str,
    as_json: bool,
) -> None:
    """Record support offered to CASE_REF.

    Example: snt-youth support offer YJ-1001 --service protective-adult --screening 3
    """
    with ctx.open_book() as book:
        made = book.offer_support(
            case_ref,
            service,
            stage=stage,
            screening_id=screening_id,
            offered_on=parse_date(offered_on, "--date"),
            response=response,
        )
    if as_json:
        echo_json(made)
        return
    click.echo(
        f"Offer {made.id} recorded: {made.kind.value} support '{made.service}' for {case_ref} "
        f"({made.stage.value}), {made.response.value}."
    )


@support.command("update")
@click.argument("offer_id", type=params.RECORD_ID)
@click.option("--response", type=click.Choice(RESPONSES, case_sensitive=False))
@click.option("--start", "started_on", metavar="YYYY-MM-DD", help="Date the support started.")
@click.option("--end", "ended_on", metavar="YYYY-MM-DD", help="Date the support ended.")
@click.option("--end-reason", type=click.Choice(END_REASONS, case_sensitive=False))
@click.option(
    "--contact",
    "contacts",
    type=params.COUNT,
    default=0,
    help="Add this many attended contacts (external support).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def update(
    ctx: Context,
    offer_id: int,
    response: str | None,
    started_on: str | None,
    ended_on: str | None,
    end_reason: str | None,
    contacts: int,
    as_json: bool,
) -> None:
    """Record the response, start, end or contacts for OFFER_ID.

    Internal sessions are counted from 'session record --offer'; use --contact for
    contacts with an external service.
    """
    with ctx.open_book() as book:
        changed = book.update_offer(
            offer_id,
            response=response,
            started_on=parse_date(started_on, "--start"),
            ended_on=parse_date(ended_on, "--end"),
            end_reason=end_reason,
            add_contacts=contacts,
        )
    _report(changed, as_json)


@support.command("accept")
@click.argument("offer_id", type=params.RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def accept(ctx: Context, offer_id: int, as_json: bool) -> None:
    """Record that the young person accepted OFFER_ID."""
    with ctx.open_book() as book:
        _report(book.accept_offer(offer_id), as_json)


@support.command("decline")
@click.argument("offer_id", type=params.RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def decline(ctx: Context, offer_id: int, as_json: bool) -> None:
    """Record that the young person declined OFFER_ID."""
    with ctx.open_book() as book:
        _report(book.decline_offer(offer_id), as_json)


@support.command("contact")
@click.argument("offer_id", type=params.RECORD_ID)
@click.option(
    "--count", type=params.COUNT, default=1, show_default=True, help="How many contacts took place."
)
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def contact(ctx: Context, offer_id: int, count: int, as_json: bool) -> None:
    """Record contacts with an external service for OFFER_ID."""
    with ctx.open_book() as book:
        _report(book.record_contact(offer_id, count=count), as_json)


@support.command("start")
@click.argument("offer_id", type=params.RECORD_ID)
@click.option(
    "--date", "on", metavar="YYYY-MM-DD", help="Date the support started (default today)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def start(ctx: Context, offer_id: int, on: str | None, as_json: bool) -> None:
    """Record that the support for OFFER_ID started."""
    with ctx.open_book() as book:
        _report(book.start_support(offer_id, on=parse_date(on, "--date")), as_json)


@support.command("end")
@click.argument("offer_id", type=params.RECORD_ID)
@click.option("--reason", required=True, type=click.Choice(END_REASONS, case_sensitive=False))
@click.option("--date", "on", metavar="YYYY-MM-DD", help="Date the support ended (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def end(ctx: Context, offer_id: int, reason: str, on: str | None, as_json: bool) -> None:
    """Record that the support for OFFER_ID ended, and why."""
    with ctx.open_book() as book:
        _report(book.end_support(offer_id, reason, on=parse_date(on, "--date")), as_json)


def _report(changed: model.SupportOffer, as_json: bool) -> None:
    if as_json:
        echo_json(changed)
        return
    click.echo(_describe(changed))


def _describe(o: model.SupportOffer) -> str:
    parts = [f"Offer {o.id}: {o.kind.value} '{o.service}' for {o.case_ref}, {o.response.value}"]
    if o.started_on:
        parts.append(f"started {o.started_on}")
    if o.attended:
        parts.append(f"{o.sessions} sessions, {o.contacts} contacts")
    if o.ended_on:
        reason = o.end_reason.value if o.end_reason else "-"
        parts.append(f"ended {o.ended_on} ({reason})")
    return "; ".join(parts) + "."


@support.command("list")
@click.argument("case_ref", type=params.CASE_REF)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_context
def list_(ctx: Context, case_ref: str, as_json: bool) -> None:
    """List the support offered to a young person."""
    with ctx.open_book() as book:
        offers = book.offers(case_ref)
    if as_json:
        echo_json(offers)
        return
    if not offers:
        click.echo(f"No support offered to {case_ref} yet.")
    for o in offers:
        click.echo(_describe(o))


@support.command("amend")
@click.argument("offer_id", type=params.RECORD_ID)
@click.option("--reason", required=True, type=params.TEXT, help="Why the offer is corrected.")
@click.option("--offered", "offered_on", type=params.DATE, help="Corrected offer date.")
@click.option("--stage", type=click.Choice([s.value for s in model.Stage], case_sensitive=False))
@click.option("--service", type=params.NAME, help="Corrected support service id.")
@click.option("--response", type=click.Choice(RESPONSES, case_sensitive=False))
@click.option("--start", "started_on", type=params.DATE, help="Corrected start date.")
@click.option("--end", "ended_on", type=params.DATE, help="Corrected end date.")
@click.option("--end-reason", type=click.Choice(END_REASONS, case_sensitive=False))
@click.option("--contacts", type=params.COUNT, help="Corrected total of contacts.")
@click.option(
    "--clear",
    type=click.Choice(["started_on", "ended_on", "end_reason"]),
    multiple=True,
    help="Empty a value recorded by mistake (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the offer as JSON.")
@pass_context
def amend(
    ctx: Context,
    offer_id: int,
    reason: str,
    offered_on: dt.date | None,
    stage: str | None,
    service: str | None,
    response: str | None,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    end_reason: str | None,
    contacts: int | None,
    clear: tuple[str, ...],
    as_json: bool,
) -> None:
    """Correct OFFER_ID where it was recorded wrongly, with a reason.

    The audit trail keeps the reason and the old and new value of each field.
    Example: snt-youth support amend 12 --start 2026-01-05 --reason "typed the wrong day"
    """
    with ctx.open_book() as book:
        changed = book.amend_offer(
            offer_id,
            reason=reason,
            offered_on=offered_on,
            stage=stage,
            service=service,
            response=response,
            started_on=started_on,
            ended_on=ended_on,
            end_reason=end_reason,
            contacts=contacts,
            clear=clear,
        )
    _report(changed, as_json)
