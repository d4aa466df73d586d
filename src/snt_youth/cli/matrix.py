"""``snt-youth matrix``: see and check the direct-work matrices.

The matrices are files in ``matrices/``; these commands read them and never change
anything, so they need no database.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterable

import click

from snt_youth.cli import params
from snt_youth.cli.context import echo_json
from snt_youth.protect.matrix import (
    ANY_PERSON,
    Matrix,
    list_matrices,
    load_matrix,
    readability_problems,
)

PLACEHOLDER_SHOWN = "[person]"


@click.group()
def matrix() -> None:
    """See the direct-work matrices ("who tried to keep you safe?" and others)."""


@matrix.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_(as_json: bool) -> None:
    """List the matrices you can use, with their ids and columns."""
    matrices = list_matrices()
    if as_json:
        echo_json(
            [
                {
                    "id": m.id,
                    "version": m.version,
                    "title": m.title,
                    "columns": [{"id": c.id, "label": c.label} for c in m.columns],
                }
                for m in matrices
            ]
        )
        return
    if not matrices:
        click.echo("No matrices found.")
        return
    width = max(len(m.id) for m in matrices)
    for m in matrices:
        click.echo(f"{m.id:<{width}}  v{m.version}  {m.title}")
        click.echo(f"{'':<{width}}  columns: {', '.join(m.column_ids)}")
    click.echo("\nSee one with: snt-youth matrix show ID")


@matrix.command("show")
@click.argument("matrix_id", metavar="ID", type=params.NAME)
@click.option("--json", "as_json", is_flag=True, help="Print the whole matrix as JSON.")
@click.option(
    "--person",
    metavar="NAME",
    help=f"Fill the questions in for this person (default: show {PLACEHOLDER_SHOWN}).",
)
def show(matrix_id: str, as_json: bool, person: str | None) -> None:
    """Show a matrix: its columns, question templates, guidance and closing.

    ID is a matrix id from `snt-youth matrix list`, or the path of a matrix file.
    """
    loaded = load_matrix(matrix_id)
    if as_json:
        echo_json(loaded)
        return
    click.echo(render_text(loaded, person=person or PLACEHOLDER_SHOWN))


@matrix.command("check")
@click.argument("matrix_id", metavar="ID_OR_FILE")
def check(matrix_id: str) -> None:
    """Check a matrix file: structure (errors) and young-person readability (warnings).

    Exits 0 when all is well, 1 when some young-person text may be too hard to read,
    and 2 when the file cannot be used.
    """
    loaded = load_matrix(matrix_id)
    problems = readability_problems(loaded)
    click.echo(f"{loaded.source}: {loaded.id} v{loaded.version} loads correctly.")
    if not problems:
        click.echo("All young-person text is short and plain.")
        return
    click.echo("Young-person text that may be too hard to read (aim for reading age 9):")
    for problem in problems:
        click.echo(f"  - {problem}")
    raise SystemExit(1)


def render_text(m: Matrix, *, person: str = ANY_PERSON) -> str:
    """A matrix as plain text for a champion to read in a terminal."""
    width = min(100, max(60, shutil.get_terminal_size((88, 24)).columns - 2))
    out: list[str] = []

    def para(text: str, indent: int = 2) -> None:
        pad = " " * indent
        out.append(textwrap.fill(text, width, initial_indent=pad, subsequent_indent=pad))

    def bullets(items: Iterable[str], indent: int = 4) -> None:
        pad = " " * indent
        for item in items:
            out.append(
                textwrap.fill(item, width, initial_indent=f"{pad}- ", subsequent_indent=f"{pad}  ")
            )

    out.append(f"{m.title}")
    out.append(f"{m.id}, version {m.version}")
    out.append("")
    out.append("Purpose")
    para(m.purpose)
    out.append("")
    out.append("Introduction (young person)")
    bullets(m.intro, 2)
    out.append("")
    out.append("Columns and question templates")
    for c in m.columns:
        q = c.questions.render(person)
        out.append("")
        out.append(f"  [{c.id}] {c.label}  ({c.domain})")
        para(c.meaning, 4)
        para(f"For the facilitator: {c.about}", 4)
        out.append("    Opening:")
        bullets([q.opening], 6)
        out.append("    Follow-up:")
        bullets(q.follow_up, 6)
        out.append("    Noticing strengths:")
        bullets(q.strengths, 6)
    out.append("")
    out.append("People to think about (rows)")
    for r in m.rows:
        examples = f": {r.examples}" if r.examples else ""
        para(f"{r.label}{examples}", 4)
    out.append("")
    out.append("Facilitator guidance")
    sections = (
        ("Before the session", m.guidance.before),
        ("Pacing", m.guidance.pacing),
        ("Stopping", m.guidance.stopping),
        ("If the young person tells you something new", m.guidance.new_disclosure),
        ("Recording the session", m.guidance.recording),
    )
    for heading, items in sections:
        if items:
            out.append(f"  {heading}")
            bullets(items)
    out.append("")
    out.append("Closing")
    out.append("  Reflection (young person)")
    bullets(m.closing.reflection)
    out.append("  Goodbye (young person)")
    bullets([m.closing.goodbye])
    if m.closing.facilitator:
        out.append("  For the facilitator")
        bullets(m.closing.facilitator)
    return "\n".join(out)
