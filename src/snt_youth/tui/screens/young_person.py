"""One young person: their timeline, and everything that can be done next."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from snt_youth import model, vocabulary
from snt_youth.errors import Conflict, SntError
from snt_youth.tui.dialogs.choose import ChooseDialog
from snt_youth.tui.dialogs.confirm import ConfirmDialog
from snt_youth.tui.screens.base import BookScreen
from snt_youth.tui.screens.offer import ask_offer
from snt_youth.tui.words import plural

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook

#: What the officer can record about an offer, each a named Casebook transition. Each is
#: given the offer's version as it was when the officer chose it, so a change made by
#: someone else in the meantime is refused (Conflict) instead of overwritten.
Transition = Callable[["Casebook", int, int | None], model.SupportOffer]
OFFER_UPDATES: dict[str, tuple[str, Transition]] = {
    "accepted": (
        "The young person accepted",
        lambda book, i, v: book.accept_offer(i, expected_version=v),
    ),
    "declined": (
        "The young person declined",
        lambda book, i, v: book.decline_offer(i, expected_version=v),
    ),
    "contact": (
        "One contact with the service took place",
        lambda book, i, v: book.record_contact(i, expected_version=v),
    ),
    "completed": (
        "The support was completed",
        lambda book, i, v: book.end_support(i, model.EndReason.COMPLETED, expected_version=v),
    ),
    "disengaged": (
        "The young person stopped taking part",
        lambda book, i, v: book.end_support(i, model.EndReason.DISENGAGED, expected_version=v),
    ),
}


def _service_name(book: Casebook, service_id: str) -> str:
    try:
        return book.config.support_service(service_id).name
    except SntError:
        return service_id  # a service since removed from the configuration


def offer_words(book: Casebook, offer: model.SupportOffer) -> str:
    """One offer in words: the service's name, the response, attendance, any ending."""
    text = (
        f"Offered {_service_name(book, offer.service)} "
        f"({vocabulary.title(offer.kind).lower()}; {vocabulary.title(offer.response).lower()}"
    )
    if offer.attended:
        text += f", {plural(offer.sessions + offer.contacts, 'contact')} attended"
    if offer.end_reason:
        text += f", ended: {vocabulary.title(offer.end_reason).lower()}"
    return text + ")"


def screening_words(screening: model.Screening) -> str:
    """One screening in words, with the outcome titles from the vocabulary."""
    stage = vocabulary.title(screening.stage)
    if screening.outcome is None:
        return f"{stage} screening, draft ({plural(len(screening.answers), 'answer')} given)"
    parts = [
        f"{term.title}: {getattr(screening.outcome, term.name)}" for term in vocabulary.OUTCOMES
    ]
    return f"{stage} screening: " + "; ".join(parts)


class YoungPersonScreen(BookScreen):
    """Timeline of screenings, support, sessions and notes for one young person."""

    HELP = """\
## Young person

The timeline shows screenings (pre-court and post-court), support offered, direct-work
sessions and case notes, oldest first.

- **s** starts a screening, or resumes the one in progress for that stage.
- **o** records a support offer; **u** records what happened with an offer.
- **d** opens direct work (the matrix); **w** prints a worksheet; **n** writes a note.
- **e** changes the young person's details.
- **Escape** goes back to the caseload.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "screening",
            "Screening",
            id="person.screening",
            tooltip="Start or resume a screening",
        ),
        Binding(
            "o",
            "offer",
            "Offer",
            id="person.offer",
            tooltip="Record support offered to this young person",
        ),
        Binding(
            "u",
            "update_offer",
            "Update offer",
            id="person.update-offer",
            show=False,
            tooltip="Record a response, contact or ending for an offer",
        ),
        Binding(
            "d",
            "direct_work",
            "Direct work",
            id="person.direct-work",
            tooltip="Direct work with the matrix, recorded as a session",
        ),
        Binding(
            "w",
            "worksheets",
            "Worksheet",
            id="person.worksheet",
            show=False,
            tooltip="Print a worksheet for this young person",
        ),
        Binding("n", "notes", "Notes", id="person.notes", tooltip="Write or read case notes"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="person.edit",
            show=False,
            tooltip="Change this young person's details",
        ),
        Binding(
            "escape", "back", "Back", id="person.back", show=False, tooltip="Back to the caseload"
        ),
    ]

    def __init__(self, case_ref: str) -> None:
        super().__init__()
        self.case_ref = case_ref

    def compose(self) -> ComposeResult:
        yield Static("", id="person-header")
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#timeline", DataTable)
        table.add_column("Date", width=10)
        table.add_column("What", width=10)
        table.add_column("Detail", key="detail")
        self.refresh_timeline()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_timeline()

    def on_resize(self) -> None:
        table = self.query_one("#timeline", DataTable)
        table.columns["detail"].width = max(20, self.size.width - 28)  # type: ignore[index]
        table.columns["detail"].auto_width = False  # type: ignore[index]
        if self.is_mounted:
            self.refresh_timeline()

    def refresh_timeline(self) -> None:
        timeline = self.book.timeline(self.case_ref)
        person = timeline.person
        team = self.book.config.team(person.team).name
        name = f" · {person.known_as}" if person.known_as else ""
        officer = f" · officer {person.officer}" if person.officer else ""
        self.query_one("#person-header", Static).update(
            f"[b]{person.case_ref}{name}[/b] · age {timeline.age} · {team}{officer}"
        )
        table = self.query_one("#timeline", DataTable)
        table.clear()
        offers = {o.id: o for o in self.book.offers(self.case_ref)}
        screenings = {x.id: x for x in self.book.screenings(self.case_ref)}
        width = max(20, self.size.width - 28)
        for event in timeline.events:
            text = event.summary
            if event.kind == "support" and event.ref_id in offers:
                text = offer_words(self.book, offers[event.ref_id])
            elif event.kind == "screening" and event.ref_id in screenings:
                text = screening_words(screenings[event.ref_id])
            # Wrapped at whole words in the Detail column, never cut.
            cell = Text(text, overflow="fold")
            lines = len(cell.wrap(self.app.console, width))
            table.add_row(event.on.isoformat(), event.kind, cell, height=max(1, lines))
        if not timeline.events:
            table.add_row("", "", "Nothing recorded yet. Press s to start a screening.")

    # -- actions --------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_screening(self) -> None:
        options = []
        for stage in model.Stage:
            draft = self.book.draft_for(self.case_ref, stage)
            label = f"{stage.value.capitalize()} screening"
            if draft is not None:
                label += f" (resume: {len(draft.answers)} answered)"
            options.append((stage.value, label))

        def chosen(stage: str | None) -> None:
            if stage is None:
                return
            try:
                draft = self.book.draft_for(self.case_ref, stage)
                if draft is None:
                    draft = self.book.start_screening(self.case_ref, stage)
            except SntError as exc:
                self.show_error(exc)
                return
            self.snt.open_screening(draft.id)

        self.app.push_screen(ChooseDialog("Which screening?", options), chosen)

    def action_offer(self) -> None:
        ask_offer(self, self.case_ref, screening_id=None, on_done=self.refresh_timeline)

    def action_update_offer(self) -> None:
        offers = [o for o in self.book.offers(self.case_ref) if o.open]
        if not offers:
            self.notify("There is no open support offer. Press o to record one.")
            return

        # The versions the officer is looking at now, before choosing.
        versions = {o.id: self.book.record_version("support_offer", o.id) for o in offers}

        def chose_offer(offer_id: str | None) -> None:
            if offer_id is None:
                return
            chosen = int(offer_id)
            self.app.push_screen(
                ChooseDialog(
                    "What happened?", [(k, label) for k, (label, _a) in OFFER_UPDATES.items()]
                ),
                lambda what: self._update(chosen, what, versions.get(chosen)),
            )

        self.app.push_screen(
            ChooseDialog(
                "Which offer?",
                [(str(o.id), f"{o.offered_on} {offer_words(self.book, o)}") for o in offers],
            ),
            chose_offer,
        )

    def _update(self, offer_id: int, what: str | None, version: int | None = None) -> None:
        if what is None:
            return
        _label, transition = OFFER_UPDATES[what]
        try:
            transition(self.book, offer_id, version)
        except Conflict as exc:
            self.offer_reload(exc)
            return
        except SntError as exc:
            self.show_error(exc)
            return
        self.notify("Saved.")
        self.refresh_timeline()

    def offer_reload(self, conflict: Conflict) -> None:
        """Someone else changed the record first: nothing was saved; offer to reload."""

        def answered(reload: bool | None) -> None:
            if reload:
                self.refresh_timeline()
                self.notify("Reloaded. Look again, then record what happened.")

        self.app.push_screen(
            ConfirmDialog(f"{conflict} Reload now?", yes="Reload", no="Not now"), answered
        )

    def action_direct_work(self) -> None:
        from snt_youth.tui.screens.direct_work import DirectWorkScreen

        self.app.push_screen(DirectWorkScreen(self.case_ref))

    def action_worksheets(self) -> None:
        self.snt.open_worksheets(self.case_ref)

    def action_notes(self) -> None:
        from snt_youth.tui.screens.notes import NotesScreen

        self.app.push_screen(NotesScreen(self.case_ref))

    def action_edit(self) -> None:
        self.snt.open_person_form(self.case_ref)
