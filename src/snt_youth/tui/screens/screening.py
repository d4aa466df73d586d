"""A screening with the young person in the room: one calm question at a time.

Every answer is stored the moment its key is pressed (``Casebook.answer``), so if the
laptop dies nothing but the question on screen is lost, and the draft is offered on
the next start. Which questions apply, and which comes next, is the Casebook's rule
(``Casebook.next_question``); this screen only shows them.

Two audiences share the screen. The question, in the young person's words, is the
big calm part, with no levels, scores or routes; the officer's notes sit below it
and hide with one key (remembered between screenings). A concern on a safety-now
question stops the questions at once with the officer's safety page
(:mod:`~snt_youth.tui.screens.safety_stop`). After the last question comes the young
person's "Thank you" page, and only a deliberate key hands the screen back for the
summary.

Progress is shown by section ("At home", "Your relationship", ...) and within each,
so the count never jumps when a gate ("has a partner?") opens more questions: until
a section's gate is answered, its questions are counted without a total.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Key
from textual.widgets import Footer, ProgressBar, Static

from snt_youth.errors import SntError
from snt_youth.screening import Item, applicable_items
from snt_youth.screening.questions import Instrument
from snt_youth.tui.screens.base import BookScreen
from snt_youth.tui.screens.safety_stop import SafetyStopScreen, safety_key


def section_progress(
    instrument: Instrument, items: list[Item], answers: dict[str, str], current: Item
) -> tuple[str, int, int | None]:
    """The section strip, the question's number in its section, and the section's total.

    The total is None while the section has an unanswered gate: more questions may
    follow it, and a total that grows would jump.
    """
    steps = []
    for section in instrument.sections:
        in_section = [i for i in items if i.section == section.id]
        if section.id == current.section:
            mark = "●"
        elif in_section and all(i.id in answers for i in in_section):
            mark = "✓"
        else:
            mark = "○"
        steps.append(f"{mark} {escape(section.title)}")
    mine = [i for i in items if i.section == current.section]
    ids = [i.id for i in mine]
    number = ids.index(current.id) + 1 if current.id in ids else len(ids)
    open_gate = any(i.is_gate and i.id not in answers for i in mine)
    return "   ".join(steps), number, None if open_gate else len(ids)


class ScreeningScreen(BookScreen):
    """One question at a time: the young person's words large, the officer's smaller."""

    HELP = """\
## Screening

Read the question with the young person. Press the key shown beside their answer:
it is saved at once. "Not sure" and "I'd rather not say" are real answers, never "no".

- **Left** or **Backspace** goes back one question (its answer stays until you change it).
- **Right** skips a question for now; it comes back at the end.
- **Escape** pauses: the screening stays as a draft and can be resumed.
- **h** hides or shows the officer's notes, for when the young person reads the screen.
  The choice is remembered.

A concern on a "safety now" question stops the questions: the officer's safety page
shows the routes for this young person's age and asks what you did.

After the last question the young person sees "Thank you". Press **Ctrl+O** when
the screen is turned back to you: then the summary shows.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left,backspace", "back", "Back", id="screening.back", tooltip="Go back one question"
        ),
        Binding(
            "right",
            "skip",
            "Skip",
            id="screening.skip",
            tooltip="Skip this question for now; it comes back at the end",
        ),
        Binding(
            "h",
            "toggle_officer",
            "Officer notes",
            id="screening.officer",
            tooltip="Hide or show the officer's notes",
        ),
        Binding(
            "escape",
            "pause",
            "Pause",
            id="screening.pause",
            tooltip="Leave the screening; every answer is saved as a draft",
        ),
    ]

    def __init__(self, screening_id: int) -> None:
        super().__init__()
        self.screening_id = screening_id
        self.answers: dict[str, str] = {}
        self.skipped: set[str] = set()
        self.item: Item | None = None
        self.case_ref = ""
        self.stage = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="screening", can_focus=False):
            yield Static("", id="screening-place")
            yield Static("", id="screening-sections")
            yield ProgressBar(show_percentage=False, show_eta=False, id="screening-progress")
            yield Static("", id="section-intro")
            yield Static("", id="yp-question")
            yield Static("", id="answer-keys")
            yield Static("", id="skipped-note")
            yield Static("", id="officer-notes")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.instrument = self.book.instrument()
        screening = self.book.screening(self.screening_id)
        self.case_ref = screening.case_ref
        self.stage = screening.stage.value
        self.answers = dict(screening.answers)
        self.query_one("#officer-notes", Static).display = self.snt.settings.officer_notes
        self.item = self._following(None)
        if self.item is None:
            # A draft with every question answered (the app closed on the finish
            # screen), opened by the officer: go straight to the summary.
            self.call_after_refresh(self._summary)
            return
        self._show()

    def on_screen_resume(self) -> None:
        # Back from the finish screen: show the last question again.
        screening = self.book.screening(self.screening_id)
        if screening.status.value != "draft":
            self.app.pop_screen()
            return
        self.answers = dict(screening.answers)
        if self.item is None:
            items = applicable_items(self.instrument, self.answers)
            self.item = items[-1] if items else None
            self._show()

    # -- moving between questions -----------------------------------------------------
    def _items(self) -> list[Item]:
        return applicable_items(self.instrument, self.answers)

    def _following(self, current: Item | None) -> Item | None:
        """The next question after ``current`` (None when every one has an answer)."""
        return self.book.next_question(
            self.screening_id,
            after=current.id if current is not None else None,
            skipped=self.skipped,
        )

    def _advance(self) -> None:
        self.item = self._following(self.item)
        if self.item is None:
            self._finish()
        else:
            self._show()

    def _finish(self) -> None:
        """The young person's thank-you page; the summary only after the hand-back key."""
        from snt_youth.tui.screens.thank_you import ThankYouScreen

        def handed_back(officer: bool | None) -> None:
            if officer:
                self._summary()
            else:
                self._back_to_last()

        self.app.push_screen(ThankYouScreen(), handed_back)

    def _summary(self) -> None:
        from snt_youth.tui.screens.finish import FinishScreen

        self.app.push_screen(FinishScreen(self.screening_id))

    def _back_to_last(self) -> None:
        items = self._items()
        if items:
            self.item = items[-1]
            self._show()

    # -- the safety stop ------------------------------------------------------------------
    def _safety_action(self) -> str:
        return self.snt.drafts.get(safety_key(self.screening_id))

    def _safety_pending(self) -> bool:
        """A safety-now concern is answered and no action is written yet."""
        if self._safety_action().strip():
            return False
        return any(
            (i.safety_now or i.immediate_danger) and i.is_concern(self.answers.get(i.id))
            for i in self.instrument.items
        )

    def _stop_for_safety(self, then: Callable[[], None]) -> None:
        """Show the officer's safety page; go on (``then``) only once an action is written."""
        try:
            result = self.book.assess(self.screening_id)
        except SntError as exc:
            self.show_error(exc)
            return

        def written(action: str | None) -> None:
            if action is None:
                self._show()  # back to the question, to change a mistaken answer
                return
            self.snt.drafts.keep(safety_key(self.screening_id), action)
            # No toast here: the screen goes back to the young person's question.
            then()

        self.app.push_screen(SafetyStopScreen(result, action=self._safety_action()), written)

    # -- display ---------------------------------------------------------------------------
    def _show(self) -> None:
        item = self.item
        if item is None:
            return
        items = self._items()
        strip, number, total = section_progress(self.instrument, items, self.answers, item)
        section = self.instrument.section(item.section)
        counted = f"question {number}" if total is None else f"question {number} of {total}"
        self.query_one("#screening-place", Static).update(
            f"{escape(self.case_ref)} · {self.stage} screening · {escape(section.title)}, {counted}"
        )
        self.query_one("#screening-sections", Static).update(strip)
        bar = self.query_one(ProgressBar)
        bar.display = total is not None
        if total is not None:
            answered = sum(1 for i in items if i.section == item.section and i.id in self.answers)
            bar.update(total=total, progress=answered)
        self.query_one("#section-intro", Static).update(escape(section.young_person_intro))
        self.query_one("#yp-question", Static).update(escape(item.young_person))
        given = self.answers.get(item.id)
        keys = []
        for response in item.responses:
            label = escape(response.label)
            key = escape(response.key)
            if response.code == given:
                keys.append(f"[reverse] {key} [/reverse] [b]{label}[/b] (answered)")
            else:
                keys.append(f"[b] {key} [/b] {label}")
        self.query_one("#answer-keys", Static).update("\n".join(keys))
        note = "You skipped this question earlier." if item.id in self.skipped else ""
        self.query_one("#skipped-note", Static).update(note)
        self.query_one("#officer-notes", Static).update(
            f"[b]For the officer:[/b] {escape(item.officer)}\n{escape(item.guidance)}"
        )

    # -- answering ---------------------------------------------------------------------------
    def on_key(self, event: Key) -> None:
        item = self.item
        if item is None or not event.character:
            return
        response = item.response_for_key(event.character)
        if response is None:
            return
        event.stop()
        event.prevent_default()
        before = self.answers.get(item.id)
        try:
            screening = self.book.answer(self.screening_id, item.id, response.code)
        except SntError as exc:
            self.show_error(exc)
            return
        self.answers = dict(screening.answers)
        self.skipped.discard(item.id)
        new_concern = before != response.code and item.is_concern(response.code)
        if (item.safety_now or item.immediate_danger) and new_concern:
            # Stop at once, even if an action was written before: this may need more.
            self._stop_for_safety(self._advance)
        elif self._safety_pending():
            self._stop_for_safety(self._advance)
        else:
            self._advance()

    def action_back(self) -> None:
        items = self._items()
        ids = [i.id for i in items]
        if self.item is None or self.item.id not in ids:
            return
        index = ids.index(self.item.id)
        if index == 0:
            self.notify("This is the first question.")
            return
        self.item = items[index - 1]
        self._show()

    def action_skip(self) -> None:
        if self.item is None:
            return
        if self._safety_pending():
            self._stop_for_safety(self.action_skip)
            return
        self.skipped.add(self.item.id)
        following = self._following(self.item)
        if following is None or following.id == self.item.id:
            self.notify("This is the only question left. Answer it, or press - if not asked.")
            return
        self.item = following
        self._show()

    def action_toggle_officer(self) -> None:
        notes = self.query_one("#officer-notes", Static)
        notes.display = not notes.display
        settings = self.snt.settings
        settings.officer_notes = bool(notes.display)
        try:
            settings.save()
        except SntError as exc:
            self.show_error(exc)

    def action_pause(self) -> None:
        self.notify("Screening paused. Every answer is saved; resume it from the young person.")
        self.app.pop_screen()
