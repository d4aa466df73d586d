"""Finishing a screening: the outcome, any safety escalation, then support.

The assessment (outcome, triggers, routes, suggestions, champions) comes from
``Casebook.assess``. When it needs a safety action, the screening cannot be
completed until the officer records what they did (or why not).
"""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Input, Static

from snt_youth.casebook import Assessment
from snt_youth.errors import SntError
from snt_youth.tui.screens.base import BookScreen
from snt_youth.tui.screens.offer import ask_offer

OUTCOME_NAMES = (
    ("home", "At home"),
    ("relationship", "Their relationship"),
    ("own_behaviour", "Their behaviour in it"),
    ("safety", "Safety now"),
)


def outcome_lines(result: Assessment) -> str:
    """The outcome in words, one line each (no scores)."""
    outcome = result.outcome
    return "\n".join(
        f"  {label:<24}{getattr(outcome, field).value}" for field, label in OUTCOME_NAMES
    )


class FinishScreen(BookScreen):
    """Outcome, escalation and support for one screening, before and after completing."""

    HELP = """\
## Finish the screening

This screen is for the officer. It shows what the answers give, in words.

- If there is a **safety concern**, the routes to consider are listed. Write what you did,
  or why you did not act, before completing. You can always act on a concern the
  answers did not raise.
- **Ctrl+S** (or the button) completes the screening.
- Then **o** records the support offered. Suggested support comes first, with the
  team's Safe & Together champions.
- **Escape** goes back to the questions (before completing).
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "complete",
            "Complete",
            id="finish.complete",
            tooltip="Complete the screening (after any safety action)",
        ),
        Binding(
            "o", "offer", "Offer support", id="finish.offer", tooltip="Record the support offered"
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="finish.back",
            tooltip="Back to the questions, or to the young person when complete",
        ),
    ]

    def __init__(self, screening_id: int) -> None:
        super().__init__()
        self.screening_id = screening_id
        self.result: Assessment | None = None
        self.completed = False
        self.offers_made = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="finish"):
            yield Static("", id="finish-title")
            yield Static("", id="finish-outcome")
            yield Static("", id="finish-safety")
            yield Input(placeholder="What you did, or why not (required)", id="safety-action")
            yield Button("Complete the screening (Ctrl+S)", id="complete", variant="primary")
            yield Static("", id="finish-support")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.result = self.book.assess(self.screening_id)
        except SntError as exc:
            self.show_error(exc)
            return
        self._show()

    def _show(self) -> None:
        result = self.result
        if result is None:
            return
        s = result.screening
        state = "complete" if self.completed else "ready to complete"
        self.query_one("#finish-title", Static).update(
            f"[b]{escape(s.case_ref)} · {s.stage.value} screening · {state}[/b]\n"
            "Thank you. That is all the questions."
        )
        self.query_one("#finish-outcome", Static).update(
            "[b]What the answers show[/b]\n" + escape(outcome_lines(result))
        )
        action = self.query_one("#safety-action", Input)
        safety = self.query_one("#finish-safety", Static)
        if result.missing:
            safety.update(
                "[b]Some questions have no answer yet:[/b] "
                + escape(", ".join(result.missing))
                + "\nPress Escape to go back to them."
            )
        elif result.needs_action:
            heading = (
                "Safety: action recorded"
                if self.completed
                else "Safety: act on this before completing"
            )
            lines = [f"[b]{heading}[/b]"]
            for route in result.routes:
                lines.append(f"  [b]{escape(route.title)}[/b]\n  {escape(route.guidance)}")
            if not result.routes:
                lines.append("  Follow your safeguarding procedure and tell your manager.")
            if self.completed and s.safety_action:
                lines.append(f"  Recorded: {escape(s.safety_action)}")
            safety.update("\n".join(lines))
        else:
            safety.update("No safety concern was raised by the answers. Use your judgement.")
        action.display = result.needs_action and not self.completed
        self.query_one("#complete", Button).display = not self.completed
        names = ", ".join(escape(x.name) for x in result.suggestions) or "none from the answers"
        champions = ", ".join(escape(c) for c in result.champions) or "none listed"
        offered = f"\n{self.offers_made} offer(s) recorded." if self.offers_made else ""
        then = (
            f"Press [b]o[/b] to record the offer, Escape when done.{offered}"
            if self.completed
            else "Complete the screening, then record the offer."
        )
        self.query_one("#finish-support", Static).update(
            f"[b]Suggested support:[/b] {names}\n[b]Champions who can help:[/b] {champions}\n{then}"
        )
        if action.display:
            action.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Complete before, offer after: the footer shows only what can be done now.
        if action == "complete":
            return not self.completed
        if action == "offer":
            return self.completed
        return True

    @on(Button.Pressed, "#complete")
    def _pressed(self) -> None:
        self.action_complete()

    @on(Input.Submitted, "#safety-action")
    def _submitted(self) -> None:
        self.action_complete()

    def action_complete(self) -> None:
        if self.completed or self.result is None:
            return
        action = self.query_one("#safety-action", Input).value
        if self.result.needs_action and not action.strip():
            self.notify(
                "Write what you did about the safety concern, or why not, first.",
                title="Safety action needed",
            )
            self.query_one("#safety-action", Input).focus()
            return
        try:
            self.result = self.book.complete_screening(self.screening_id, action=action or None)
        except SntError as exc:
            self.show_error(exc)
            return
        self.completed = True
        self.refresh_bindings()
        self.notify("Screening completed.", title="Saved")
        self._show()
        self.action_offer()

    def action_offer(self) -> None:
        if not self.completed or self.result is None:
            self.notify("Complete the screening first (Ctrl+S).")
            return
        result = self.result
        champions = ", ".join(result.champions)
        ask_offer(
            self,
            result.screening.case_ref,
            screening_id=self.screening_id,
            suggested=result.suggestions,
            on_done=self._offered,
            note=f"Champions for this team: {champions}" if champions else "",
        )

    def _offered(self) -> None:
        self.offers_made += 1
        self._show()

    def action_back(self) -> None:
        # The questions screen underneath closes itself once the screening is complete,
        # so a completed screening goes straight back to the young person.
        self.app.pop_screen()
