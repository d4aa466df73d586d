"""The file review for champions: the team summary of the stored case notes.

The summary comes from :func:`snt_youth.language.review.review_book`, which reads the
notes through the Casebook and checks them in a worker. It has counts only: no
names, no case references and no note text, so it can be shown in a champions'
meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from snt_youth.errors import SntError
from snt_youth.language.review import TeamSummary
from snt_youth.tui.messages import WorkFailed
from snt_youth.tui.screens.base import BookScreen


@dataclass
class SummaryReady(Message):
    """The team summary was built for ``team`` (None: every team)."""

    summary: TeamSummary
    team: str | None


class ReviewScreen(BookScreen):
    """The team summary of the file review, one team at a time or the whole service."""

    HELP = """\
## File review

A summary of the stored case notes for a champions' meeting: how many notes have
wording to look at again, the findings by category, how many notes name the person
causing harm as the one doing it, record a protective effort, and describe the
child's experience, and the most common findings.

It shows counts only, with no names. The markers and findings are prompts for your
reading of the files, not a score of the workers who wrote them.

- **t** shows one team at a time, then the whole service.
- For one row per note, use `snt-youth review notes -o review.csv`.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "next_team", "Team", id="review.team", tooltip="One team, then all"),
        Binding("escape", "back", "Back", id="review.back", tooltip="Go back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.team: str | None = None
        self.summary: TeamSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="review-status")
        with VerticalScroll(id="review-body"):
            yield Static("", id="review-summary")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#review-body").focus()
        self.build()

    def action_next_team(self) -> None:
        ids = [None, *(t.id for t in self.book.config.teams)]
        self.team = ids[(ids.index(self.team) + 1) % len(ids)]
        self.build()

    def build(self) -> None:
        scope = self.team or "the whole service"
        self.query_one("#review-status", Static).update(f"Reading the notes of {scope}...")
        self.build_summary(self.team)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def build_summary(self, team: str | None) -> None:
        from snt_youth.language.review import review_book

        try:
            _, summary = review_book(self.book, team=team)
        except SntError as exc:
            self.post_message(WorkFailed(str(exc)))
            return
        self.post_message(SummaryReady(summary, team))

    def on_summary_ready(self, message: SummaryReady) -> None:
        self.summary = message.summary
        scope = self.book.config.team(message.team).name if message.team else "the whole service"
        self.query_one("#review-status", Static).update(
            escape(f"File review: team summary for {scope}")
        )
        self.query_one("#review-summary", Static).update(escape("\n".join(message.summary.lines())))

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        self.query_one("#review-status", Static).update(escape(message.text))
        self.show_error(message.text)

    def action_back(self) -> None:
        self.app.pop_screen()
