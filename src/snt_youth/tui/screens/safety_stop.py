"""The safety stop: a concern on a safety-now question halts the questions at once.

This page is for the officer only (the young person's question screen never shows
routes). It lists the safeguarding routes for this young person's age, from the
service configuration through ``Casebook.assess``, and asks what the officer did, or
why not. The text is kept at once in the app's private drafts file, so a closed
laptop loses nothing, and it becomes the screening's safety action when the
screening is completed. Only then do the questions go on.
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from snt_youth.casebook import Assessment


def safety_key(screening_id: int) -> str:
    """Where a screening's safety action waits in the drafts file until completion."""
    return f"safety:{screening_id}"


def routes_text(result: Assessment) -> str:
    """The safeguarding routes for this young person's age, as markup."""
    lines = []
    for route in result.routes:
        lines.append(f"[b]{escape(route.title)}[/b]\n{escape(route.guidance)}")
    if not lines:
        lines.append("Follow your safeguarding procedure and tell your manager.")
    return "\n\n".join(lines)


class SafetyStopScreen(Screen[str | None]):
    """Routes to consider, and the action taken (required) before the questions go on."""

    HELP = """\
## Safety stop

The young person's answer raised a safety concern, so the questions stopped.

- Read the routes: they are the ones for this young person's age.
- Write what you did, or why you did not act, then press **Enter**. It is kept at
  once, and stored with the screening when you complete it.
- **Escape** goes back to the question, if the answer was pressed by mistake.
  The questions do not go on until an action is written.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back to the question",
            id="safety.back",
            tooltip="Back to the question, to change a mistaken answer",
        ),
    ]

    def __init__(self, result: Assessment, *, action: str = "") -> None:
        super().__init__()
        self.result = result
        self.action = action

    def compose(self) -> ComposeResult:
        s = self.result.screening
        with VerticalScroll(id="safety-stop"):
            yield Static(
                f"[b]For the officer: safety concern · {escape(s.case_ref)}, "
                f"age {self.result.age}[/b]",
                id="safety-title",
            )
            yield Static(
                "The questions have stopped. Act on this now, with the young person safe.",
                id="safety-lead",
            )
            yield Static(routes_text(self.result), id="safety-routes")
            yield Static("What did you do, or why not? (required)", id="safety-ask")
            yield Input(
                value=self.action,
                placeholder="For example: called the duty social worker at 10:40",
                id="safety-stop-action",
            )
            yield Static("Enter keeps it and goes on with the questions.", id="safety-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#safety-stop-action")
    def _typed(self, event: Input.Changed) -> None:
        # Kept as it is typed: nothing written is lost if the app closes here.
        drafts = getattr(self.app, "drafts", None)
        if drafts is not None:
            drafts.keep(safety_key(self.result.screening.id), event.value)

    @on(Input.Submitted, "#safety-stop-action")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.notify(
                "Write what you did about the safety concern, or why not, first.",
                title="Safety action needed",
            )
            return
        self.dismiss(event.value.strip())

    def action_back(self) -> None:
        self.dismiss(None)
