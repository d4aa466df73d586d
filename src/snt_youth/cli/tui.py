"""``snt-youth tui``: open the terminal app (also what ``snt-youth`` alone does)."""

from __future__ import annotations

from pathlib import Path

import click

from snt_youth.cli.context import Context, pass_context


@click.command()
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for worksheet PDFs and report exports. Default: the current folder.",
)
@pass_context
def tui(context: Context, output_dir: Path | None) -> None:
    """Open the terminal app: caseload, screening, direct work, worksheets, the quarter.

    Every answer is saved as it is given. F1 shows help on every screen; F12 hides
    the screen at once (privacy) and brings it back.
    """
    book = context.open_book()
    from snt_youth.tui.app import create_app  # textual loads only for the app

    app = create_app(book, output_dir=output_dir)
    try:
        app.run()
    finally:
        book.close()
