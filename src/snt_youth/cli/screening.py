"""``snt-youth screening ...``: the instrument's data dictionary (and, later, the lifecycle).

Add lifecycle subcommands with ``@screening.command()`` in this module.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import click

from snt_youth.cli.context import Context, echo_json, pass_context


@click.group()
def screening() -> None:
    """Screen a young person before and after court, and see the instrument."""


def _instrument(context: Context, file: str | None) -> Any:
    from snt_youth import screening as core

    if file:
        return core.load_instrument(file)
    return core.instrument_for(context.config())


@screening.command("instrument")
@click.option("--json", "as_json", is_flag=True, help="Print the data dictionary as JSON.")
@click.option(
    "--file",
    "file",
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help="Check and show this instrument file instead of the service's instrument.",
)
@pass_context
def instrument(context: Context, as_json: bool, file: str | None) -> None:
    """Show the data dictionary: every item, its responses, concerns and conditions.

    \b
    Also checks an instrument file before a service uses it:
      snt-youth screening instrument --file my-screen.toml
    """
    from snt_youth import screening as core

    chosen = _instrument(context, file)
    rows = core.dictionary(chosen)
    if as_json:
        echo_json(
            {
                "id": chosen.id,
                "version": chosen.version,
                "title": chosen.title,
                "source": chosen.source,
                "sections": [{"id": s.id, "title": s.title} for s in chosen.sections],
                "items": rows,
            }
        )
        return
    click.echo(f"{chosen.title}: {chosen.id} version {chosen.version}, {len(rows)} items")
    click.echo(f"From {chosen.source}")
    click.echo()
    click.echo(_table(_TABLE_HEADINGS, [_text_row(row) for row in rows], _TABLE_WIDTHS))
    click.echo()
    click.echo(
        "Every item also allows not-sure, prefer-not-to-say and not-asked. These are "
        "missing data:\nthey never count as 'no'. SAFETY NOW: 'yes' for a safety-now item; "
        "'danger' when a concern\nanswer also means someone may be in danger right now."
    )


_TABLE_HEADINGS = ("ID", "SECTION", "OUTCOME", "RESPONSES", "CONCERN", "CONDITION", "SAFETY NOW")
_TABLE_WIDTHS = (16, 12, 13, 12, 20, 17, 10)


def _text_row(row: dict[str, Any]) -> tuple[str, ...]:
    responses = [r["code"] for r in row["responses"] if not r["missing_data"]]
    levels = row["concern_levels"]
    concern = ", ".join(f"{code} ({levels[code]})" for code in row["concern"])
    if row["outcome"] == "gate":
        concern = f"opens {', '.join(row['gates'])} on {'/'.join(row['opens'])}"
    condition = row["condition"]
    condition_text = f"{condition['item']} = {'/'.join(condition['in'])}" if condition else ""
    safety = ""
    if row["safety_now"]:
        safety = "danger" if row["immediate_danger"] else "yes"
    return (
        row["id"],
        row["section"],
        row["outcome"],
        ", ".join(responses),
        concern,
        condition_text,
        safety,
    )


def _table(headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> str:
    """A plain text table whose cells wrap within fixed column widths."""
    widths = [max(w, len(h)) for w, h in zip(widths, headings, strict=True)]
    lines = [_line(headings, widths), _line(["-" * w for w in widths], widths)]
    for row in rows:
        cells = [
            textwrap.wrap(cell, width, break_on_hyphens=False) or [""]
            for cell, width in zip(row, widths, strict=True)
        ]
        for i in range(max(len(c) for c in cells)):
            lines.append(_line([c[i] if i < len(c) else "" for c in cells], widths))
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
