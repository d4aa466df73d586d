"""Finishing a screening: the outcome, any safety escalation, then support.

The assessment (outcome, triggers, routes, suggestions, champions) comes from
``Casebook.assess``. When it needs a safety action, the screening cannot be
completed until the officer records what they did (or why not).

Professional judgement: the officer may raise any outcome level, with a reason. The
levels on offer come from ``Casebook.raisable_levels``; the Casebook checks each
judgement and works out what follows (a raised safety level can newly need the safety
action). Each raised level is stored on the draft at once (``Casebook.raise_level``),
and judgements live only there: going back to the questions, or a restart, keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Input, Static

from snt_youth import model, vocabulary
from snt_youth.casebook import Assessment
from snt_youth.errors import SntError
from snt_youth.tui.dialogs.choose import ChooseDialog
from snt_youth.tui.dialogs.prompt import PromptDialog
from snt_youth.tui.keys import key_in_words
from snt_youth.tui.screens.base import BookScreen
from snt_youth.tui.screens.offer import ask_offer
from snt_youth.tui.screens.safety_stop import safety_key
from snt_youth.tui.words import plural

OUTCOME_NAMES = tuple((o.name, o.title) for o in vocabulary.OUTCOMES)
_LABEL_WIDTH = max(len(title) for _, title in OUTCOME_NAMES) + 2


def outcome_lines(result: Assessment) -> str:
    """The outcome in words, one line each (no scores), marking levels raised by judgement."""
    lines = []
    for field, label in OUTCOME_NAMES:
        level = getattr(result.outcome, field).value
        scored = getattr(result.scored, field).value
        raised = f"   (raised by you; the answers gave {scored})" if level != scored else ""
        lines.append(f"  {label:<{_LABEL_WIDTH}}{level}{raised}")
    return "\n".join(lines)


def outcome_title(field: str) -> str:
    return dict(OUTCOME_NAMES)[field]


def judgement_lines(judgements: Sequence[model.Judgement]) -> str:
    return "\n".join(
        f"  {outcome_title(j.outcome)} raised to {j.level}: {j.reason}" for j in judgements
    )


class FinishScreen(BookScreen):
    """Outcome, escalation and support for one screening, before and after completing."""

    HELP = """\
## Finish the screening

This screen is for the officer. It shows what the answers give, in words.

- If there is a **safety concern**, the routes to consider are listed. Write what you did,
  or why you did not act, before completing. You can always act on a concern the
  answers did not raise.
- **Ctrl+R** raises an outcome level with your professional judgement: choose the
  outcome, then a higher level, then write why. Levels only ever go up. A raised
  safety level may need the safety action too.
- **Ctrl+S** (or the button) completes the screening, with any levels you raised.
- Then **o** records the support offered. Suggested support comes first, with the
  team's Safe & Together champions.
- **Escape** goes back to the questions (before completing).
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "raise_level",
            "Raise a level",
            id="finish.raise",
            tooltip="Raise an outcome level with your professional judgement, with a reason",
        ),
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
            yield Static("", id="finish-judgements")
            yield Static("", id="finish-safety")
            yield Input(placeholder="What you did, or why not (required)", id="safety-action")
            yield Button("Complete the screening (Ctrl+S)", id="complete", variant="primary")
            yield Static("", id="finish-support")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # Levels raised earlier are stored on the draft, and the assessment applies them.
        try:
            self.result = self.book.assess(self.screening_id)
        except SntError as exc:
            self.show_error(exc)
            return
        kept = self.snt.drafts.get(safety_key(self.screening_id))
        if kept:
            # Written at the safety stop during the questions: shown, and can be changed.
            self.query_one("#safety-action", Input).value = kept
        self._show()

    @on(Input.Changed, "#safety-action")
    def _action_typed(self, event: Input.Changed) -> None:
        if not self.completed:
            self.snt.drafts.keep(safety_key(self.screening_id), event.value)

    def _show(self) -> None:
        result = self.result
        if result is None:
            return
        s = result.screening
        state = "complete" if self.completed else "ready to complete"
        self.query_one("#finish-title", Static).update(
            f"[b]For the officer: {escape(s.case_ref)} · {s.stage.value} screening · {state}[/b]"
        )
        heading = "What the answers show"
        if result.judgements:
            heading += ", with your judgement"
        self.query_one("#finish-outcome", Static).update(
            f"[b]{heading}[/b]\n" + escape(outcome_lines(result))
        )
        judged = self.query_one("#finish-judgements", Static)
        judged.display = bool(result.judgements)
        judged.update(
            "[b]Your professional judgement[/b]\n" + escape(judgement_lines(result.judgements))
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
                lines.append(f"[b]{escape(route.title)}[/b]\n{escape(route.guidance)}")
            if not result.routes:
                lines.append("Follow your safeguarding procedure and tell your manager.")
            if self.completed and s.safety_action:
                lines.append(f"Recorded: {escape(s.safety_action)}")
            safety.update("\n".join(lines))
        else:
            key = key_in_words(self, "raise_level")
            how = "" if self.completed else f" Press {key} to raise a level."
            safety.update(f"No safety concern was raised by the answers. Use your judgement.{how}")
        action.display = result.needs_action and not self.completed
        self.query_one("#complete", Button).display = not self.completed
        names = ", ".join(escape(x.name) for x in result.suggestions) or "none from the answers"
        champions = ", ".join(escape(c) for c in result.champions) or "none listed"
        offered = f"\n{plural(self.offers_made, 'offer')} recorded." if self.offers_made else ""
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
        if action in ("complete", "raise_level"):
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
        self.snt.drafts.forget(safety_key(self.screening_id))
        self.refresh_bindings()
        self.notify("Screening completed.", title="Saved")
        self._show()
        self.action_offer()

    # -- professional judgement ---------------------------------------------------------
    def action_raise_level(self) -> None:
        """Choose an outcome, then a higher level, then write why."""
        result = self.result
        if self.completed or result is None:
            return
        raisable = self.book.raisable_levels(self.screening_id)
        options = []
        for field, label in OUTCOME_NAMES:
            if raisable[field]:
                current = str(getattr(result.outcome, field))
                options.append((field, f"{label}: currently {current}"))
        if not options:
            self.notify("Every outcome is already at its highest level.")
            return
        self.app.push_screen(
            ChooseDialog(
                "Raise which outcome?",
                options,
                note="Professional judgement: you can raise a level, never lower it.",
            ),
            self._chose_outcome,
        )

    def _chose_outcome(self, field: str | None) -> None:
        if field is None or self.result is None:
            return
        current = str(getattr(self.result.outcome, field))
        levels = self.book.raisable_levels(self.screening_id)[field]
        self.app.push_screen(
            ChooseDialog(
                f"Raise {outcome_title(field).lower()} from {current!r} to:",
                [(level, level.capitalize()) for level in levels],
            ),
            lambda level: self._chose_level(field, level),
        )

    def _chose_level(self, field: str, level: str | None, reason: str = "") -> None:
        if level is None:
            return
        self.app.push_screen(
            PromptDialog(
                f"Why raise {outcome_title(field).lower()} to {level!r}?",
                value=reason,
                placeholder="What you saw or heard (required)",
                note="Your reason is kept with the screening.",
            ),
            lambda text: self._judged(field, level, text),
        )

    def _judged(self, field: str, level: str, reason: str | None) -> None:
        if reason is None:
            return
        if not reason.strip():
            self.notify("Write why you are raising the level.", title="Reason needed")
            self._chose_level(field, level)
            return
        judgement = model.Judgement(field, level, reason.strip())
        try:
            # Stored on the draft at once, like every answer: nothing is lost if the
            # laptop dies before the screening is completed.
            result = self.book.raise_level(self.screening_id, judgement)
        except SntError as exc:
            self.show_error(exc)
            return
        self.result = result
        self.notify(f"{outcome_title(field)} raised to {level}.", title="Judgement")
        self._show()

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
        # so a completed screening goes straight back to the young person. The levels
        # raised so far are already stored on the draft.
        self.app.pop_screen()
