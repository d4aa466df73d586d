"""``snt-youth worksheet``: print worksheets, blank or for a young person.

Worksheets are templates in ``worksheets/`` (see docs/worksheets.md). Printing for a
young person reads the casebook; blank worksheets need no database.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from snt_youth.cli import params
from snt_youth.cli.context import Context, Failed, echo_json, pass_context


@click.group()
def worksheet() -> None:
    """Print worksheets for direct work, safety plans and paper forms."""


@worksheet.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_(as_json: bool) -> None:
    """List the worksheets you can print."""
    from snt_youth.printing.worksheets import list_worksheets

    sheets = list_worksheets()
    if as_json:
        echo_json(
            [
                {
                    "name": s.name,
                    "title": s.title,
                    "audience": s.audience,
                    "languages": [lang.value for lang in s.languages],
                    "description": s.description,
                }
                for s in sheets
            ]
        )
        return
    width = max(len(s.name) for s in sheets)
    for s in sheets:
        languages = ", ".join(lang.value for lang in s.languages)
        click.echo(f"{s.name:<{width}}  {s.title} (for: {s.audience}; languages: {languages})")
    click.echo("\nPrint one with: snt-youth worksheet render NAME [--young-person REF] -o FILE")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "worksheet"


@worksheet.command("render")
@click.argument("name", type=params.NAME)
@click.option(
    "--young-person",
    "case_ref",
    type=params.CASE_REF,
    metavar="REF",
    help="Print for this young person "
    "(case reference and known-as only; the printout is marked OFFICIAL-SENSITIVE).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),  # a folder here is refused by the private writer
    help="File to write. Default: NAME[-REF].pdf in the current folder.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True
)
@click.option("--cream", is_flag=True, help="Cream page background.")
@click.option("--large-print", is_flag=True, help="Large print (18 pt or more).")
@click.option(
    "--facilitator/--no-facilitator",
    default=True,
    show_default=True,
    help="Include the facilitator's pages (worksheets that have them, such as the matrix).",
)
@click.option(
    "--take-home",
    is_flag=True,
    help="The young person's copy to take home (safety plan): no case reference, no service "
    "name and no marking.",
)
@click.option(
    "--first-name/--no-name",
    default=False,
    show_default=True,
    help="Put the young person's first name on the take-home copy, if they want it.",
)
@pass_context
def render(
    ctx: Context,
    name: str,
    case_ref: str | None,
    output: Path | None,
    fmt: str,
    cream: bool,
    large_print: bool,
    facilitator: bool,
    take_home: bool,
    first_name: bool,
) -> None:
    """Print worksheet NAME to a PDF (or HTML) file.

    With --young-person, matrix worksheets are prefilled from the young person's last
    session with that matrix. --no-facilitator leaves out the facilitator's pages.
    --take-home prints the young person's own copy of the safety plan, safe to keep at
    home: no case reference, no marking, and a first name only with --first-name. Which
    copy was printed is recorded in the audit.
    """
    from snt_youth.printing import worksheets
    from snt_youth.private_files import write_private

    sheet = worksheets.find_worksheet(name)
    pages: worksheets.Pages = "all"
    if not facilitator and sheet.has_facilitator_pages:
        pages = "young-person"
    young_person = session = None
    if case_ref:
        with ctx.open_book(create=False) as book:
            young_person = book.young_person(case_ref)
            session = book.worksheet_prefill(case_ref, sheet.prefill_matrix_id)
    choice = worksheets.choose_language(sheet, young_person)
    if choice.notice:
        click.echo(f"Note: {choice.notice}", err=True)
    config = ctx.config() if "instrument" in sheet.spec.needs else None
    if take_home:  # the file name is seen too: keep the case reference out of it
        default_name = f"{sheet.name}-take-home"
    else:
        default_name = f"{sheet.name}-{case_ref}" if case_ref else sheet.name
    target = output or Path(_safe_name(default_name) + f".{fmt}")
    prepared = worksheets.prepare(
        sheet,
        young_person=young_person,
        session=session,
        cream=cream,
        large_print=large_print,
        config=config,
        pages=pages,
        take_home=take_home,
        first_name=first_name,
    )
    content: bytes | str
    if fmt == "html":
        content = worksheets.standalone_html(prepared)
    else:
        content = worksheets.pdf_from(prepared)
    write_private(target, content)
    if worksheets.audit_detail(prepared) is not None:
        with ctx.open_book(create=False) as book:
            worksheets.audit_print(book, prepared)
    extra = ""
    if take_home:
        extra = " It is the take-home copy: no case reference and no marking" + (
            ", with the first name only." if first_name else ", and no name."
        )
    elif young_person is not None:
        extra = " It holds personal data and is marked OFFICIAL-SENSITIVE."
    if session is not None:
        extra += f" Prefilled from the session on {session.held_on.isoformat()}."
    click.echo(f"Wrote {target}.{extra}")


@worksheet.command("batch")
@click.argument("name", type=params.NAME)
@click.option(
    "--team", type=params.TEAM, required=True, metavar="T", help="Team id, as in the configuration."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("worksheets-out"),
    show_default=True,
    help="Folder for the PDFs.",
)
@click.option("--cream", is_flag=True, help="Cream page background.")
@click.option("--large-print", is_flag=True, help="Large print (18 pt or more).")
@click.option(
    "--workers", type=click.IntRange(min=1), help="Processes to use. Default: every available core."
)
@click.option(
    "--facilitator/--no-facilitator",
    default=False,
    show_default=True,
    help="Put the facilitator's pages in every young person's PDF, instead of printing "
    "them once as a separate guide.",
)
@pass_context
def batch(
    ctx: Context,
    name: str,
    team: str,
    out_dir: Path,
    cream: bool,
    large_print: bool,
    workers: int | None,
    facilitator: bool,
) -> None:
    """Print worksheet NAME for every young person on a team's caseload.

    One PDF per young person, named NAME-REF.pdf, each marked OFFICIAL-SENSITIVE.
    Matrix worksheets are prefilled from each young person's last session. Their
    facilitator's pages are the same for everyone, so they are printed once, as
    facilitator-guide-MATRIX.pdf (no personal data, no marking), unless --facilitator.
    A batch of safety plans gives the officer's file copies, each recorded in the audit;
    print a take-home copy with the young person, with 'worksheet render --take-home'.
    """
    from snt_youth.printing import worksheets
    from snt_youth.printing.batch import (
        BatchJob,
        BatchResult,
        available_cores,
        guide_file_name,
        render_batch,
    )
    from snt_youth.private_files import ensure_private_folder

    sheet = worksheets.find_worksheet(name)
    if not sheet.needs_young_person:
        raise Failed(f"The worksheet {name!r} is not printed per young person.")
    matrix_id = sheet.prefill_matrix_id
    jobs: list[BatchJob] = []
    with ctx.open_book(create=False) as book:
        for person in book.young_people(team=team):
            session = book.worksheet_prefill(person.case_ref, matrix_id)
            out = out_dir / (_safe_name(f"{sheet.name}-{person.case_ref}") + ".pdf")
            jobs.append(BatchJob(young_person=person, out=out, session=session))
    if not jobs:
        click.echo(f"No young people on the {team} caseload; nothing printed.")
        return
    # Make (0700) and check the folder now, before the slow part starts.
    ensure_private_folder(out_dir)
    config = ctx.config() if "instrument" in sheet.spec.needs else None
    guide = None
    if sheet.has_facilitator_pages and not facilitator:
        guide = out_dir / guide_file_name(sheet)
    cores = workers or available_cores()
    click.echo(f"Printing {len(jobs)} worksheets with {min(cores, len(jobs))} processes.", err=True)
    bar_context = click.progressbar(jobs, label="Printing", file=sys.stderr)
    with bar_context as bar:

        def advance(_result: BatchResult) -> None:
            bar.update(1)

        results = render_batch(
            sheet.name,
            jobs,
            cream=cream,
            large_print=large_print,
            workers=workers,
            config=config,
            progress=advance,
            guide=guide,
        )
    detail = worksheets.copy_detail(sheet)
    if detail is not None:  # each young person's printout is a read of their data
        with ctx.open_book(create=False) as book:
            for result in results:
                book.record_event("print", "young_person", result.case_ref, detail)
    notices = [r.notice for r in results if r.notice]
    for notice in notices:
        click.echo(f"Note: {notice}", err=True)
    click.echo(
        f"Wrote {len(results)} PDFs to {out_dir}, one per young person. They hold personal "
        "data and are marked OFFICIAL-SENSITIVE: store and share them as your service's "
        "policy says."
    )
    if guide is not None:
        click.echo(
            f"Wrote the facilitator's pages once, to {guide}. They are the same for "
            "everyone and hold no personal data."
        )
