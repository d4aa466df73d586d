"""The audit trail: ``audit`` shows it, ``audit verify`` checks its hash chain."""

from __future__ import annotations

import unicodedata

import click

from snt_youth.cli.context import Context, Failed, echo_json, parse_date, pass_context

_LINE_BREAKS = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def escape(text: str) -> str:
    """``text`` on one line that cannot forge another: line breaks, control and format
    characters (ANSI escapes, bidirectional marks) are written as ``\\n``, ``\\x1b``,
    ``\\u202e``; a backslash as ``\\\\``."""
    out: list[str] = []
    for ch in text:
        if ch in _LINE_BREAKS:
            out.append(_LINE_BREAKS[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


@click.group(invoke_without_command=True)
@click.option("--since", metavar="DATE", help="Only events on or after this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "--imported",
    is_flag=True,
    help="Show the history that came inside a restored backup instead (kept apart).",
)
@click.pass_context
def audit(click_ctx: click.Context, since: str | None, as_json: bool, imported: bool) -> None:
    """Show who changed what, and when; 'audit verify' checks nothing was altered.

    Only what happened in this database is shown. The history inside a restored
    backup is kept apart, marked with where it came from: see it with --imported.
    Anything in an event that could start a new line or colour the terminal is
    shown escaped (\\n, \\x1b).
    """
    if click_ctx.invoked_subcommand is not None:
        return
    import datetime as dt

    ctx = click_ctx.find_object(Context)
    assert ctx is not None
    day = parse_date(since, "--since")
    start = dt.datetime.combine(day, dt.time()) if day else None
    with ctx.open_book() as book:
        if imported:
            events = [e for e in book.imported_audit_trail() if start is None or e.at >= start]
        else:
            events = book.audit_trail(start)
    if as_json:
        echo_json(events)
        return
    if not events:
        click.echo("No audit events" + (f" since {day}." if day else "."))
    for e in events:
        detail = f"  {escape(e.detail)}" if e.detail else ""
        click.echo(
            f"{e.at:%Y-%m-%d %H:%M:%S}  {escape(e.user):<14} {escape(e.action):<10} "
            f"{escape(e.record_type)} {escape(e.record_id)}{detail}"
        )


@audit.command("verify")
@click.option(
    "--imported",
    is_flag=True,
    help="Check each restored backup's own history, as it was recorded there.",
)
@pass_context
def verify(ctx: Context, imported: bool) -> None:
    """Walk the audit hash chain: exit 0 when whole, 1 naming the first event that was
    changed, removed or inserted.

    Keep the last line it prints (the newest link) somewhere else, such as the
    service's own records: a later run that shows a different newest link for the
    same count means the end of the trail was rewritten.
    """
    with ctx.open_book() as book:
        if imported:
            results = book.verify_imported_audit()
        else:
            results = [("this database", book.verify_audit())]
    if imported and not results:
        click.echo("No restored backup history in this database.")
        return
    broken = False
    for source, verdict in results:
        where = escape(source)
        if verdict is None:
            click.echo(
                f"{where}: no chain to check (the backup was made before snt-youth kept one)."
            )
            continue
        if verdict.whole:
            click.echo(
                f"{where}: the audit chain is whole: {verdict.events} events, "
                f"newest link {verdict.head}."
            )
        else:
            broken = True
            click.echo(f"{where}: {verdict.problem}", err=True)
    if broken:
        raise _Broken()


class _Broken(Failed):
    """The chain is broken: exit 1 (the sentence was already printed)."""

    exit_code = 1

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file: object = None) -> None:
        return None
