"""The quarter, for managers: the funnel as bars, the breakdowns, and exports.

The report comes from ``Casebook.quarterly_report`` (one SQL aggregation, then
disclosure control), built in a worker. Exports are written in a worker too.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static

from snt_youth.errors import SntError
from snt_youth.tui.messages import FileWritten, ReportReady, WorkFailed
from snt_youth.tui.screens.base import BookScreen

BAR_WIDTH = 40
FORMATS = ("csv", "xlsx", "json", "pdf")
#: Room kept beside a bar for the figure (or "suppressed").
_FIGURE_ROOM = len("  suppressed")
#: A breakdown column heading wraps onto lines of about this many characters.
HEADING_WIDTH = 10


def funnel_bars(report: Any, width: int = 0) -> str:
    """The headline funnel as text bars, scaled to the largest figure.

    With ``width`` (the room on screen), the bars shrink so that no line wraps.
    """
    total = report.headline.total
    labels = {m.id: m.label for m in report.measures}
    values = [cell.value for cell in total.cells]
    top = max((v for v in values if v is not None), default=0) or 1
    label_width = max((len(labels.get(c.measure, c.measure)) for c in total.cells), default=0)
    bar_width = BAR_WIDTH
    if width:
        bar_width = max(5, min(BAR_WIDTH, width - label_width - 1 - _FIGURE_ROOM))
    lines = []
    for cell in total.cells:
        label = labels.get(cell.measure, cell.measure)
        if cell.suppressed or cell.value is None:
            lines.append(f"{label:<{label_width}} {'·' * 3:<{bar_width}}  suppressed")
            continue
        bar = "█" * round(bar_width * cell.value / top)
        lines.append(f"{label:<{label_width}} {bar:<{bar_width}}  {cell.value}")
    return "\n".join(lines)


def heading_lines(label: str) -> list[str]:
    """A column heading wrapped at whole words, so a narrow column never cuts one."""
    return textwrap.wrap(label, HEADING_WIDTH, break_long_words=False) or [label]


def figure_text(cell: Any) -> str:
    if cell.suppressed or cell.value is None:
        return "*"
    return str(cell.value)


class QuarterScreen(BookScreen):
    """A quarter's access figures with export to every format."""

    HELP = """\
## Quarterly figures

Press **/**, type a quarter and press **Enter**, for example `2025-26 Q1` (Q1 is April to June).

The funnel: screened, need identified, support offered, accepted, attended at least once,
completed. Small numbers are suppressed (shown as *) before figures leave the service.

- **t** shows one team at a time, then the whole service.
- **c**, **x**, **j**, **f** export CSV, XLSX (spreadsheet), JSON, or PDF with charts.
- **g** writes the change report for the year of this quarter (PDF, for the board).
- **e** writes a de-identified research extract (CSV files and a data dictionary).
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "edit_quarter", "Quarter", id="quarter.choose", tooltip="Type another quarter"
        ),
        Binding("t", "next_team", "Team", id="quarter.team", tooltip="One team, then all"),
        Binding("c", "export('csv')", "CSV", id="quarter.csv", tooltip="Export as CSV"),
        Binding(
            "x",
            "export('xlsx')",
            "XLSX",
            id="quarter.xlsx",
            tooltip="Export as a spreadsheet for the return",
        ),
        Binding("j", "export('json')", "JSON", id="quarter.json", tooltip="Export as JSON"),
        Binding(
            "f",
            "export('pdf')",
            "PDF",
            id="quarter.pdf",
            tooltip="Export the board report as PDF with charts",
        ),
        Binding(
            "g",
            "change_report",
            "Change",
            id="quarter.change",
            tooltip="What changed this year, pre-court to post-court (PDF)",
        ),
        Binding(
            "e",
            "research_extract",
            "Extract",
            id="quarter.extract",
            tooltip="A de-identified research extract for an evaluator",
        ),
        Binding("escape", "back", "Back", id="quarter.back", tooltip="Go back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.team: str | None = None
        self.report: Any = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Quarter, e.g. 2025-26 Q1", id="q-input")
        yield Static("", id="q-status")
        with VerticalScroll(id="q-body"):
            yield Static("", id="funnel")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        from snt_youth.tracking.quarters import Quarter

        box = self.query_one("#q-input", Input)
        box.value = str(Quarter.last_complete(self.book.clock.today()))
        self.query_one("#q-body").focus()  # letters are commands here; / edits the quarter
        self.build()

    @on(Input.Submitted, "#q-input")
    def _submitted(self) -> None:
        self.build()
        self.query_one("#q-body").focus()

    def action_edit_quarter(self) -> None:
        self.query_one("#q-input", Input).focus()

    def action_next_team(self) -> None:
        ids = [None, *(t.id for t in self.book.config.teams)]
        self.team = ids[(ids.index(self.team) + 1) % len(ids)]
        self.build()

    def build(self) -> None:
        text = self.query_one("#q-input", Input).value
        scope = self.book.config.team(self.team).name if self.team else "the whole service"
        self.query_one("#q-status", Static).update(f"Counting {escape(text)} for {scope}...")
        self.build_report(text, self.team)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report")
    def build_report(self, text: str, team: str | None) -> None:
        try:
            report = self.book.quarterly_report(text, team=team)
        except SntError as exc:
            self.post_message(WorkFailed(str(exc)))
            return
        self.post_message(ReportReady(report))

    async def on_report_ready(self, message: ReportReady) -> None:
        report = message.report
        self.report = report
        self.query_one("#q-status", Static).update(
            f"{escape(report.title)} · {escape(report.period)}"
        )
        text = funnel_bars(report, self.size.width - 6)
        if report.empty_note:
            text += "\n\n" + report.empty_note
        self.query_one("#funnel", Static).update(escape(text))
        body = self.query_one("#q-body", VerticalScroll)
        await body.query(".breakdown").remove()
        labels = {m.id: m.label for m in report.measures}
        for table in report.breakdowns:
            headings = [heading_lines(labels.get(m, m)) for m in table.measures]
            widget: DataTable[str] = DataTable(
                classes="breakdown",
                cursor_type="none",
                zebra_stripes=True,
                header_height=max((len(h) for h in headings), default=1),
            )
            await body.mount(Static(f"[b]{escape(table.title)}[/b]", classes="breakdown"))
            await body.mount(widget)
            widget.add_column("Group")
            for lines in headings:
                widget.add_column("\n".join(lines), width=max(len(x) for x in lines))
            for row in table.rows:
                widget.add_row(row.label, *(figure_text(c) for c in row.cells))

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        self.query_one("#q-status", Static).update(escape(message.text))
        self.show_error(message.text)

    def action_export(self, fmt: str) -> None:
        if self.report is None:
            self.notify("Build the figures first: type a quarter and press Enter.")
            return
        quarter = str(self.report.quarter).replace(" ", "-")
        team = f"-{self.report.team}" if self.report.team else ""
        target = self.snt.output_dir / f"quarterly-{quarter}{team}.{fmt}"
        self.notify(f"Writing {target.name}...", timeout=3)
        self.export(self.report, fmt, target)

    @work(thread=True, exclusive=False, exit_on_error=False, group="export")
    def export(self, report: Any, fmt: str, target: Path) -> None:
        try:
            if fmt == "pdf":
                from snt_youth.printing.report_pdf import write_report_pdf

                path = write_report_pdf(report, target)
            else:
                from snt_youth.tracking import exports

                path = exports.write(report, fmt, target)
        except (SntError, OSError) as exc:
            self.post_message(WorkFailed(str(exc)))
            return
        self.post_message(FileWritten(Path(path), f"Quarterly figures ({fmt.upper()})"))

    def _year(self) -> str | None:
        """The financial year of the quarter typed, e.g. "2025-26", or None."""
        text = self.query_one("#q-input", Input).value.strip()
        year = text.split()[0] if text else ""
        if len(year) != 7 or year[4] != "-":
            self.notify("Type a quarter first, for example 2025-26 Q1.")
            return None
        return year

    def action_change_report(self) -> None:
        year = self._year()
        if year is None:
            return
        team = f"-{self.team}" if self.team else ""
        target = self.snt.output_dir / f"change-{year}{team}.pdf"
        self.notify(f"Working out what changed in {year}: this takes a while...", timeout=5)
        self.change_report(year, self.team, target)

    @work(thread=True, exclusive=True, exit_on_error=False, group="change")
    def change_report(self, year: str, team: str | None, target: Path) -> None:
        try:
            from snt_youth.printing.change_pdf import write_change_pdf

            report = self.book.change_report(year, team=team)
            path = write_change_pdf(report, target)
        except (SntError, OSError) as exc:
            self.post_message(WorkFailed(str(exc)))
            return
        self.post_message(FileWritten(Path(path), f"Change report {year} (PDF)"))

    def action_research_extract(self) -> None:
        stamp = self.book.clock.now().strftime("%Y%m%d-%H%M%S")
        target = self.snt.output_dir / f"research-extract-{stamp}"
        self.notify("Writing the research extract: this takes a while...", timeout=5)
        self.research_extract(target)

    @work(thread=True, exclusive=True, exit_on_error=False, group="extract")
    def research_extract(self, target: Path) -> None:
        try:
            result = self.book.research_extract(target)
        except (SntError, OSError) as exc:
            self.post_message(WorkFailed(str(exc)))
            return
        smallest = result.coarsening.reached
        what = f"Research extract ({len(result.files)} files, smallest group {smallest})"
        self.post_message(FileWritten(Path(result.folder), what))

    def on_file_written(self, message: FileWritten) -> None:
        self.notify(f"{message.what}: {message.path}", title="Written", timeout=10)

    def action_back(self) -> None:
        self.app.pop_screen()
