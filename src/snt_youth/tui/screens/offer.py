"""Recording a support offer: choose the service, then the young person's response."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from snt_youth import model
from snt_youth.config import SupportService
from snt_youth.errors import SntError
from snt_youth.tui.dialogs.choose import ChooseDialog
from snt_youth.tui.screens.base import BookScreen

RESPONSES = (
    (model.OfferResponse.ACCEPTED.value, "Accepted"),
    (model.OfferResponse.NO_RESPONSE.value, "Not decided yet"),
    (model.OfferResponse.DECLINED.value, "Declined"),
)


def service_options(
    services: Sequence[SupportService], suggested: Sequence[SupportService] = ()
) -> list[tuple[str, str]]:
    """Suggested services first (marked), then the rest, as dialog options."""
    first = [s.id for s in suggested]
    ordered = [*suggested, *(s for s in services if s.id not in first)]
    return [
        (s.id, f"{s.name} ({s.kind}){'  - suggested' if s.id in first else ''}") for s in ordered
    ]


def ask_offer(
    screen: BookScreen,
    case_ref: str,
    *,
    screening_id: int | None,
    suggested: Sequence[SupportService] = (),
    on_done: Callable[[], object] | None = None,
    note: str = "",
) -> None:
    """Ask which service and what the young person said, then record the offer."""
    book = screen.book
    stage: str | None = None

    def record(service_id: str, response: str | None) -> None:
        if response is None:
            return
        try:
            offer = book.offer_support(
                case_ref, service_id, stage=stage, screening_id=screening_id, response=response
            )
        except SntError as exc:
            screen.show_error(exc)
            return
        name = book.config.support_service(offer.service).name
        screen.notify(f"Offer recorded: {name} ({offer.response.value}).", title="Saved")
        if on_done is not None:
            on_done()

    def chose_service(service_id: str | None) -> None:
        if service_id is None:
            return
        screen.app.push_screen(
            ChooseDialog("What did the young person say?", list(RESPONSES)),
            lambda response: record(service_id, response),
        )

    def ask_service() -> None:
        screen.app.push_screen(
            ChooseDialog(
                "Offer which support?",
                service_options(book.config.support, suggested),
                note=note,
            ),
            chose_service,
        )

    def chose_stage(chosen: str | None) -> None:
        nonlocal stage
        if chosen is not None:
            stage = chosen
            ask_service()

    if screening_id is not None:
        ask_service()
    else:
        screen.app.push_screen(
            ChooseDialog(
                "At which stage is this offer?",
                [(s.value, s.value.capitalize()) for s in model.Stage],
            ),
            chose_stage,
        )
