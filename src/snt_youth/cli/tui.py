"""``snt-youth tui``: open the terminal app (also what ``snt-youth`` alone does)."""

from __future__ import annotations

from pathlib import Path

import click

from snt_youth.cli.context import Context, Failed, pass_context


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
    from snt_youth.tui.app import create_app  # textual loads only for the app

    # The casebook opens in a worker once the first screen is painted (start-up speed);
    # an error opening it ends the app and is reported here, as for every command.
    app = create_app(opener=context.open_book, output_dir=output_dir)
    try:
        app.run()
    finally:
        if app.opened_book is not None:
            app.opened_book.close()
    if app.open_error:
        raise Failed(app.open_error)
