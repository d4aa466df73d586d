"""The terminal app, driven by Pilot: each flow is checked in the database afterwards."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

import snt_youth
from snt_youth import model
from snt_youth.casebook import Casebook
from snt_youth.screening import applicable_items, next_item
from snt_youth.tui.app import SntApp, create_app
from snt_youth.tui.screens.caseload import CaseloadScreen
from snt_youth.tui.screens.finish import FinishScreen
from snt_youth.tui.screens.privacy import PrivacyScreen
from snt_youth.tui.screens.safety_stop import SafetyStopScreen
from snt_youth.tui.screens.screening import ScreeningScreen
from snt_youth.tui.screens.thank_you import ThankYouScreen
from snt_youth.tui.screens.young_person import YoungPersonScreen
from snt_youth.tui.widgets.caseload_table import CaseloadTable

SIZE = (120, 45)


def run_async(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test in its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))  # type: ignore[arg-type]

    return wrapper


@pytest.fixture
def book(sqlite_url: str) -> Iterator[Casebook]:
    with snt_youth.open(sqlite_url, user="test.officer") as opened:
        opened.add_young_person("YJ-1", dt.date(2011, 5, 1), "north", known_as="Sam")
        opened.add_young_person("YJ-2", dt.date(2009, 2, 1), "south", known_as="Ali")
        opened.add_young_person("YJ-3", dt.date(2012, 8, 9), "iss", known_as="Jo")
        yield opened


def app_for(book: Casebook, tmp_path: Path) -> SntApp:
    return create_app(book, output_dir=tmp_path)


async def settle(pilot: object, app: SntApp) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def until_dialog(pilot: object, app: SntApp) -> None:
    """Wait for the casebook to open (a worker started after the first paint) and ask."""
    from snt_youth.tui.dialogs.choose import ChooseDialog

    for _ in range(50):
        await settle(pilot, app)
        if isinstance(app.screen, ChooseDialog):
            return
    raise AssertionError("no dialog came up")


async def open_person(pilot: object, app: SntApp, ref: str) -> None:
    """From the caseload: type the reference, Enter."""
    await settle(pilot, app)
    await pilot.press(*ref, "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, YoungPersonScreen)
    assert app.screen.case_ref == ref


async def start_screening(pilot: object, app: SntApp, ref: str) -> int:
    await open_person(pilot, app, ref)
    await pilot.press("s", "1")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, ScreeningScreen)
    return app.screen.screening_id


@run_async
async def test_caseload_filters_as_you_type_by_team_and_sorts(
    book: Casebook, tmp_path: Path
) -> None:
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        table = app.screen.query_one(CaseloadTable)
        assert table.visible_refs() == ["YJ-1", "YJ-2", "YJ-3"]
        await pilot.press("a", "l", "i")
        assert table.visible_refs() == ["YJ-2"]
        await pilot.press("escape")
        assert table.visible_refs() == ["YJ-1", "YJ-2", "YJ-3"]
        await pilot.press("ctrl+t")  # first team in the configuration: north
        assert table.visible_refs() == ["YJ-1"]
        for _ in book.config.teams:
            await pilot.press("ctrl+t")  # back round to all teams
        assert table.shown == 3
        await pilot.press("ctrl+o")  # sort by known-as
        assert table.visible_refs() == ["YJ-2", "YJ-3", "YJ-1"]
        await pilot.press("ctrl+o")  # by age, youngest first
        assert table.visible_refs() == ["YJ-3", "YJ-1", "YJ-2"]
        await pilot.press("ctrl+r")  # oldest first
        assert table.visible_refs() == ["YJ-2", "YJ-1", "YJ-3"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, YoungPersonScreen)
        assert app.screen.case_ref == "YJ-1"


@run_async
async def test_caseload_paints_before_the_casebook_opens_and_keeps_the_filter(
    book: Casebook, tmp_path: Path
) -> None:
    gate = threading.Event()

    def slow_open() -> Casebook:  # like importing SQLAlchemy and reading 10,000 rows
        assert gate.wait(10)
        return book

    app = create_app(opener=slow_open, output_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseloadScreen) and not app.book_ready
        assert "Loading the caseload" in str(screen.query_one("#caseload-status").render())
        await pilot.press("ctrl+t", "f5")  # these need the casebook: nothing happens yet
        await pilot.press(*"ali")  # typing works at once
        assert app.screen is screen and screen.team is None
        gate.set()
        await settle(pilot, app)
        await pilot.pause()
        assert app.book_ready and app.opened_book is book
        assert screen.query_one(CaseloadTable).visible_refs() == ["YJ-2"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, YoungPersonScreen) and app.screen.case_ref == "YJ-2"


@run_async
async def test_opened_in_a_worker_offers_resume_then_first_run(
    book: Casebook, sqlite_url: str, tmp_path: Path
) -> None:
    draft = book.start_screening("YJ-3", "post-court")
    app = create_app(sqlite_url, user="test.officer", output_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.pause()
        await pilot.press("1")  # "Resume a screening?": the draft
        await pilot.pause()
        assert isinstance(app.screen, ScreeningScreen)
        assert app.screen.screening_id == draft.id
    assert app.opened_book is not None and app.opened_book is not book
    app.opened_book.close()


@run_async
async def test_first_run_offered_when_opened_in_a_worker(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    app = create_app(url, user="test.officer", output_dir=tmp_path, demo_size=3)
    async with app.run_test(size=SIZE) as pilot:
        await until_dialog(pilot, app)
        await pilot.press("1")  # load demo data
        await settle(pilot, app)
        await settle(pilot, app)
        assert isinstance(app.screen, CaseloadScreen)
        assert app.screen.query_one(CaseloadTable).total == 3
    assert app.opened_book is not None
    assert app.opened_book.counts()["young_people"] == 3
    app.opened_book.close()


@run_async
async def test_error_opening_the_casebook_ends_the_app_with_its_message(tmp_path: Path) -> None:
    from snt_youth.errors import InvalidInput

    def broken() -> Casebook:
        raise InvalidInput("The user name cannot be empty; give --user NAME.")

    app = create_app(opener=broken, output_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.pause()
    assert app.open_error == "The user name cannot be empty; give --user NAME."
    assert app.return_code == 2 and app.opened_book is None


@run_async
async def test_answer_keys_are_stored_at_once(book: Casebook, tmp_path: Path) -> None:
    app = app_for(book, tmp_path)
    instrument = book.instrument()
    async with app.run_test(size=SIZE) as pilot:
        screening_id = await start_screening(pilot, app, "YJ-1")
        first, second, third = (i for i in applicable_items(instrument, {})[:3])
        await pilot.press("y")
        assert book.screening(screening_id).answers == {first.id: first.response_for_key("y").code}  # type: ignore[union-attr]
        await pilot.press("s", "p")
        answers = book.screening(screening_id).answers
        assert answers[second.id] == "not-sure"
        assert answers[third.id] == "prefer-not-to-say"
        # Back twice, change the answer: stored at once, others kept.
        await pilot.press("left", "left", "n")
        answers = book.screening(screening_id).answers
        assert answers[second.id] == "no"
        assert answers[third.id] == "prefer-not-to-say"
        # After changing, the next question is the first unanswered one, not the third.
        screen = app.screen
        assert isinstance(screen, ScreeningScreen) and screen.item is not None
        assert screen.item.id == next_item(instrument, answers).id  # type: ignore[union-attr]
        # Skip leaves no answer and moves on.
        skipped = screen.item.id
        await pilot.press("right")
        assert skipped not in book.screening(screening_id).answers
        assert screen.item.id != skipped
        # A key that is no answer stores nothing.
        before = book.screening(screening_id).answers
        await pilot.press("z")
        assert book.screening(screening_id).answers == before
        # Escape pauses: the draft stays.
        await pilot.press("escape")
        assert isinstance(app.screen, YoungPersonScreen)
    draft = book.draft_for("YJ-1", "pre-court")
    assert draft is not None and len(draft.answers) == 3


async def answer_all(pilot: object, app: SntApp, key: str = "n") -> None:
    for _ in range(60):
        if not isinstance(app.screen, ScreeningScreen):
            return
        await pilot.press(key)  # type: ignore[attr-defined]
    raise AssertionError("the screening never finished")


@run_async
async def test_full_screening_needs_safety_action_then_records_offer(
    book: Casebook, tmp_path: Path
) -> None:
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screening_id = await start_screening(pilot, app, "YJ-2")
        await answer_all(pilot, app, "n")  # "no safe place" raises a safety concern
        # The questions stop at once on the safety-now concern: the officer's page.
        assert isinstance(app.screen, SafetyStopScreen)
        assert app.screen.result.needs_action
        await pilot.press("enter")  # refused: no action written
        assert isinstance(app.screen, SafetyStopScreen)
        await pilot.press(*"Told manager", "enter")
        await pilot.pause()
        # Kept at once (privately), then the young person's thank-you page.
        assert app.drafts.get(f"safety:{screening_id}") == "Told manager"
        await answer_all(pilot, app, "n")
        assert isinstance(app.screen, ThankYouScreen)
        await pilot.press("n", "enter", "space", "o")  # no summary for stray keys
        assert isinstance(app.screen, ThankYouScreen)
        assert not app.screen.query("#finish-outcome")
        await pilot.press("ctrl+o")  # the officer's deliberate key
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        assert app.screen.result is not None and app.screen.result.needs_action
        assert book.screening(screening_id).status is model.ScreeningStatus.DRAFT
        await pilot.press("ctrl+s")  # the action written at the stop is used
        await pilot.pause()
        done = book.screening(screening_id)
        assert done.status is model.ScreeningStatus.COMPLETE
        assert done.safety_action == "Told manager"
        assert app.drafts.get(f"safety:{screening_id}") == ""
        # Completing leads straight into the offer: service 1, then "accepted".
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        offers = book.offers("YJ-2")
        assert len(offers) == 1
        assert offers[0].screening_id == screening_id
        assert offers[0].response is model.OfferResponse.ACCEPTED
        assert offers[0].stage is model.Stage.PRE_COURT
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, YoungPersonScreen)


async def answer_safely(pilot: object, app: SntApp) -> None:
    """Answer every question "no", but "yes" to having a safe place: no safety concern."""
    for _ in range(60):
        screen = app.screen
        if isinstance(screen, ThankYouScreen):
            await pilot.press("ctrl+o")  # type: ignore[attr-defined]
            await pilot.pause()  # type: ignore[attr-defined]
            return
        if not isinstance(screen, ScreeningScreen):
            return
        assert screen.item is not None
        await pilot.press("y" if screen.item.id == "safe-place" else "n")  # type: ignore[attr-defined]
    raise AssertionError("the screening never finished")


@run_async
async def test_judgement_raises_levels_with_reasons_and_is_stored(
    book: Casebook, tmp_path: Path
) -> None:
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screening_id = await start_screening(pilot, app, "YJ-1")
        await answer_safely(pilot, app)
        screen = app.screen
        assert isinstance(screen, FinishScreen) and screen.result is not None
        assert screen.result.outcome.safety is model.SafetyNow.NONE
        assert not screen.result.needs_action
        # The key is in help (with its binding id) and in the palette, by name.
        from snt_youth.tui.screens.help import HelpScreen

        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Raise an outcome level" in str(app.screen.query_one("Markdown").source)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"Raise a level")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        # Raise safety now: outcome 4; only the levels above "none" are offered.
        assert [key for key, _label in app.screen.options] == [  # type: ignore[attr-defined]
            "home",
            "relationship",
            "own_behaviour",
            "safety",
        ]
        await pilot.press("4")
        await pilot.pause()
        assert [key for key, _label in app.screen.options] == ["not known", "concern"]  # type: ignore[attr-defined]
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("enter")  # no reason: refused, asked again
        await pilot.pause()
        assert screen.result.judgements == ()
        assert book.screening(screening_id).judgements == ()
        await pilot.press(*"Scared to go home tonight", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.result.outcome.safety is model.SafetyNow.CONCERN
        assert screen.result.scored.safety is model.SafetyNow.NONE
        assert screen.result.needs_action  # the raised level needs the safety action now
        assert "raised by you" in str(screen.query_one("#finish-outcome").render())
        # Raise home as well, then back to the questions and forward again: kept.
        await pilot.press("ctrl+r", "1", "2", *"Mum said there were rows", "enter")  # past
        await pilot.pause()
        assert screen.result.outcome.home is model.HomeAbuse.PAST
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ScreeningScreen)
        assert app.screen.item is not None and app.screen.item.id == "safe-place"
        await pilot.press("y")  # the same answer again: thank you, then the summary again
        await pilot.pause()
        assert isinstance(app.screen, ThankYouScreen)
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FinishScreen) and screen.result is not None
        assert [j.outcome for j in screen.result.judgements] == ["safety", "home"]
        assert screen.result.scored.safety is model.SafetyNow.NONE
        assert screen.result.needs_action
        await pilot.press("ctrl+s")  # refused: the raised safety level needs an action
        assert book.screening(screening_id).status is model.ScreeningStatus.DRAFT
        await pilot.press(*"Referral to social care", "enter")
        await pilot.pause()
    done = book.screening(screening_id)
    assert done.status is model.ScreeningStatus.COMPLETE
    assert done.judgements == (
        model.Judgement("safety", "concern", "Scared to go home tonight"),
        model.Judgement("home", "past", "Mum said there were rows"),
    )
    assert done.outcome is not None
    assert done.outcome.safety is model.SafetyNow.CONCERN
    assert done.outcome.home is model.HomeAbuse.PAST
    assert done.safety_action == "Referral to social care"
    raised = [e for e in book.audit_trail() if e.action == "raise"]
    assert len(raised) == 2


@run_async
async def test_resume_offered_on_start(book: Casebook, tmp_path: Path) -> None:
    draft = book.start_screening("YJ-3", "post-court")
    instrument = book.instrument()
    first = applicable_items(instrument, {})[0]
    book.answer(draft.id, first.id, "n")
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("1")  # the first draft in the list
        await pilot.pause()
        assert isinstance(app.screen, ScreeningScreen)
        assert app.screen.screening_id == draft.id
        second = next_item(instrument, {first.id: "no"})
        assert second is not None and app.screen.item == second
        await pilot.press("y")
    assert book.screening(draft.id).answers[second.id] == second.response_for_key("y").code  # type: ignore[union-attr]


@run_async
async def test_resuming_a_fully_answered_draft_goes_to_finish(
    book: Casebook, tmp_path: Path
) -> None:
    draft = book.start_screening("YJ-3", "pre-court")
    instrument = book.instrument()
    answers: dict[str, str] = {}
    while (item := next_item(instrument, answers)) is not None:
        answers = book.answer(draft.id, item.id, "no").answers
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("1")  # resume it
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        assert app.screen.screening_id == draft.id


@run_async
async def test_first_run_loads_demo_data_in_a_worker(sqlite_url: str, tmp_path: Path) -> None:
    with snt_youth.open(sqlite_url, user="test.officer") as empty:
        app = create_app(empty, output_dir=tmp_path, demo_size=3)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("1")  # load demo data
            await settle(pilot, app)
            await settle(pilot, app)
            assert empty.counts()["young_people"] == 3
            assert isinstance(app.screen, CaseloadScreen)
            assert app.screen.query_one(CaseloadTable).total == 3


@run_async
async def test_first_run_start_clean_leaves_database_empty(sqlite_url: str, tmp_path: Path) -> None:
    with snt_youth.open(sqlite_url, user="test.officer") as empty:
        app = create_app(empty, output_dir=tmp_path, demo_size=3)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("2")
            await settle(pilot, app)
            assert isinstance(app.screen, CaseloadScreen)
        assert empty.is_empty()


@run_async
async def test_privacy_key_hides_and_restores(book: Casebook, tmp_path: Path) -> None:
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screening_id = await start_screening(pilot, app, "YJ-1")
        screen = app.screen
        await pilot.press("f12")
        assert isinstance(app.screen, PrivacyScreen)
        await pilot.press("y", "f1", "ctrl+p")  # nothing works behind the neutral screen
        assert isinstance(app.screen, PrivacyScreen)
        assert book.screening(screening_id).answers == {}
        await pilot.press("f12")
        assert app.screen is screen


@run_async
async def test_keys_remap_from_service_config(sqlite_url: str, tmp_path: Path) -> None:
    from snt_youth.locations import default_config_path

    config = tmp_path / "service.toml"
    text = default_config_path().read_text(encoding="utf-8")
    config.write_text(text + '\n"app.privacy" = "f11"\n"person.screening" = "k"\n', "utf-8")
    opened = Casebook.open(sqlite_url, user="t", config_path=str(config))
    opened.add_young_person("YJ-9", dt.date(2011, 5, 1), "north")
    app = create_app(opened, output_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(pilot, app, "YJ-9")
        await pilot.press("f1")  # help shows the remapped key
        assert "| k | Start or resume a screening" in str(app.screen.query_one("Markdown").source)
        await pilot.press("escape")
        await pilot.press("f11")
        assert isinstance(app.screen, PrivacyScreen)
        await pilot.press("f11")
        await pilot.press("k", "1")
        await pilot.pause()
        assert isinstance(app.screen, ScreeningScreen)
    assert opened.draft_for("YJ-9", "pre-court") is not None
    opened.close()


@run_async
async def test_help_and_command_palette_follow_the_screen(book: Casebook, tmp_path: Path) -> None:
    from snt_youth.tui.screens.help import HelpScreen

    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(pilot, app, "YJ-1")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        source = str(app.screen.query_one("Markdown").source)
        assert "Young person" in source
        assert "Start or resume a screening" in source
        # Written for officers: no binding ids, none of Textual's own keys.
        assert "person.screening" not in source and "Binding id" not in source
        assert "Focus Next" not in source and "Copy selected text" not in source
        await pilot.press("escape")
        assert isinstance(app.screen, YoungPersonScreen)
        # The palette offers this screen's commands: run "Notes" by name.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Notes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        from snt_youth.tui.screens.notes import NotesScreen

        assert isinstance(app.screen, NotesScreen)


@run_async
async def test_offer_and_update_from_young_person(book: Casebook, tmp_path: Path) -> None:
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(pilot, app, "YJ-1")
        await pilot.press("o", "2", "1", "2")  # post-court, first service, not decided yet
        await pilot.pause()
        offers = book.offers("YJ-1")
        assert len(offers) == 1 and offers[0].stage is model.Stage.POST_COURT
        assert offers[0].response is model.OfferResponse.NO_RESPONSE
        await pilot.press("u", "1", "1")  # that offer: accepted
        await pilot.press("u", "1", "3")  # one contact
        await pilot.pause()
        offer = book.offer(offers[0].id)
        assert offer.response is model.OfferResponse.ACCEPTED
        assert offer.contacts == 1


@run_async
async def test_a_change_made_elsewhere_is_not_overwritten_and_reload_is_offered(
    book: Casebook, tmp_path: Path
) -> None:
    from snt_youth.tui.dialogs.confirm import ConfirmDialog

    offer = book.offer_support("YJ-1", "protective-adult", stage="post-court")
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(pilot, app, "YJ-1")
        await pilot.press("u", "1")  # the officer picks the offer...
        await pilot.pause()
        book.decline_offer(offer.id)  # ...while someone else records a decline
        await pilot.press("3")  # one contact: must not land on a declined offer
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "nothing was saved" in app.screen.question
        stored = book.offer(offer.id)
        assert stored.response is model.OfferResponse.DECLINED and stored.contacts == 0
        await pilot.press("y")  # reload
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)


@run_async
async def test_direct_work_records_session_with_protective_adult(
    book: Casebook, tmp_path: Path
) -> None:
    from snt_youth.protect import list_matrices
    from snt_youth.tui.screens.direct_work import DirectWorkScreen

    ids = [m.id for m in list_matrices()]
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(pilot, app, "YJ-1")
        await pilot.press("d")
        await pilot.pause()
        if len(ids) > 1:
            await pilot.press(str(ids.index("who-kept-me-safe") + 1))
            await pilot.pause()
        assert isinstance(app.screen, DirectWorkScreen)
        await pilot.press("a", *"Mum", "enter")
        await pilot.pause()
        await pilot.press("enter", *"hid me in her room", "enter")
        await pilot.pause()
        assert "Ask:" in str(app.screen.query_one("#cell-questions").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "identified: yes" in str(app.screen.query_one("#dw-result").render())
    sessions = book.sessions("YJ-1")
    assert len(sessions) == 1
    assert sessions[0].matrix_id == "who-kept-me-safe"
    assert sessions[0].protective_adult_identified
    assert [(e.person, e.words) for e in sessions[0].entries] == [("Mum", "hid me in her room")]


@run_async
async def test_notes_are_checked_live_and_saved(book: Casebook, tmp_path: Path) -> None:
    from snt_youth import language

    text = "Police called after a volatile relationship incident."
    assert language.check(text), "the sample must be flagged for this test to mean anything"
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(pilot, app, "YJ-1")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("TextArea").insert(text)  # type: ignore[attr-defined]
        await pilot.pause(0.5)
        findings = str(app.screen.query_one("#findings").render())
        assert "volatile" in findings
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")  # keep editing: nothing saved
        assert book.notes("YJ-1") == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    notes = book.notes("YJ-1")
    assert [n.text for n in notes] == [text]


@pytest.mark.slow
@run_async
async def test_worksheet_pdf_rendered_in_a_worker(book: Casebook, tmp_path: Path) -> None:
    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_person(pilot, app, "YJ-1")
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.pause()
        written = app.screen.last_path  # type: ignore[attr-defined]
    assert written is not None and written.parent == tmp_path
    assert written.read_bytes().startswith(b"%PDF")


@run_async
async def test_quarter_screen_shows_funnel(book: Casebook, tmp_path: Path) -> None:
    from snt_youth.tui.screens.quarter import QuarterScreen

    app = app_for(book, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        assert isinstance(app.screen, QuarterScreen)
        assert app.screen.report is not None
        assert "Screened" in str(app.screen.query_one("#funnel").render())
        await pilot.press("c")
        await settle(pilot, app)
    assert list(tmp_path.glob("quarterly-*.csv"))


@run_async
async def test_quarter_screen_writes_the_change_report_and_a_research_extract(
    tmp_path: Path,
) -> None:
    from snt_youth import demo
    from snt_youth.tui.screens.quarter import QuarterScreen

    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    with snt_youth.open(url, user="test.manager") as opened:
        demo.populate(opened, n=40, seed=2)
        app = app_for(opened, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await pilot.press("f7")
            await settle(pilot, app)
            assert isinstance(app.screen, QuarterScreen)
            await pilot.press("g")
            await settle(pilot, app)
            await pilot.press("e")
            await settle(pilot, app)
        changes = list(tmp_path.glob("change-*.pdf"))
        assert len(changes) == 1 and changes[0].read_bytes().startswith(b"%PDF")
        assert changes[0].stat().st_mode & 0o777 == 0o600
        (extract,) = tmp_path.glob("research-extract-*")
        assert (extract / "data_dictionary.csv").exists()
        actions = [e.action for e in opened.audit_trail()]
        assert "research-extract" in actions
