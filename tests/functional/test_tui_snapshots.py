"""Snapshots of the main screens, made deterministic.

The date is frozen (ages, default dates), every worker is awaited, cursor blink is off
and notifications are cleared before the picture is taken. Update with
``pytest tests/functional/test_tui_snapshots.py --snapshot-update``, look at the SVGs,
then copy them into the docs with ``scripts/docs_images.py``. Each test first checks it
reached the intended screen (and, where it matters, what the store holds), then snaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

import snt_youth
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.model import SafetyNow
from snt_youth.tui.app import SntApp, create_app
from snt_youth.tui.dialogs.choose import ChooseDialog
from snt_youth.tui.screens.caseload import CaseloadScreen
from snt_youth.tui.screens.direct_work import DirectWorkScreen
from snt_youth.tui.screens.finish import FinishScreen
from snt_youth.tui.screens.help import HelpScreen
from snt_youth.tui.screens.notes import NotesScreen
from snt_youth.tui.screens.privacy import PrivacyScreen
from snt_youth.tui.screens.quarter import QuarterScreen
from snt_youth.tui.screens.safety_stop import SafetyStopScreen
from snt_youth.tui.screens.screening import ScreeningScreen
from snt_youth.tui.screens.thank_you import ThankYouScreen
from snt_youth.tui.screens.worksheets import WorksheetsScreen
from snt_youth.tui.screens.young_person import YoungPersonScreen
from snt_youth.tui.widgets.caseload_table import CaseloadTable

TODAY = dt.date(2026, 6, 15)
SIZE = (110, 36)
#: The screens an officer uses with a young person must work on a small laptop
#: terminal (80x24) and on a larger one (120x40).
SMALL = (80, 24)
LARGE = (120, 40)
#: Every question "no" for YJ-1001: "no safe place" is last, and stops the questions.
ALL_NO = (*"YJ-1001", "enter", "s", "1", *("n" * 12))
SAFETY_ACTION = (*"Called the duty social worker", "enter")


@pytest.fixture
def frozen_book(sqlite_url: str) -> Iterator[Casebook]:
    """A small caseload made on a frozen date, so ages and dates never drift."""
    with snt_youth.open(sqlite_url, user="a.officer", clock=FixedClock(TODAY)) as book:
        people = [
            ("YJ-1001", dt.date(2011, 3, 2), "north", "Sam"),
            ("YJ-1002", dt.date(2009, 11, 20), "south", "Ali"),
            ("YJ-1003", dt.date(2012, 7, 9), "iss", "Jo"),
            ("YJ-1004", dt.date(2010, 1, 15), "east", None),
            ("YJ-1005", dt.date(2008, 9, 30), "west", "Kai"),
        ]
        for ref, dob, team, known_as in people:
            book.add_young_person(ref, dob, team, known_as=known_as, officer="A. Officer")
        items = book.instrument().items
        answers = {i.id: "no" for i in items if i.condition is None}
        answers.update({i.id: "yes" for i in items if i.id == "safe-place"})
        result = book.record_screening(
            "YJ-1002", "pre-court", answers, screened_on=dt.date(2026, 3, 4)
        )
        book.offer_support(
            "YJ-1002",
            "protective-adult",
            screening_id=result.screening.id,
            offered_on=dt.date(2026, 3, 5),
            response="accepted",
        )
        book.add_note("YJ-1002", "Ali said Mum kept him safe.", written_on=dt.date(2026, 3, 6))
        draft = book.start_screening("YJ-1003", "post-court", screened_on=dt.date(2026, 6, 1))
        book.answer(draft.id, items[0].id, "n")
        yield book


def make_app(book: Casebook, tmp_path: Path) -> SntApp:
    return create_app(book, output_dir=tmp_path, first_run=False)


async def steady(pilot: Pilot[Any]) -> None:
    """Wait for workers, stop blinking cursors, clear toasts: a stable picture."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    for widget in [*app.screen.query(Input), *app.screen.query(TextArea)]:
        widget.cursor_blink = False  # a focused widget then always draws its cursor
        widget.refresh()  # the cursor does not repaint by itself
    if isinstance(app.focused, TextArea):
        app.set_focus(None)  # its line cache can keep a blinked-off cursor: no cursor at all
    app.clear_notifications()
    await pilot.pause()


def reached(pilot: Pilot[Any], expected: type[Screen[Any]]) -> None:
    """Fail before the picture is taken if the keys did not lead to the intended screen."""
    screen = pilot.app.screen
    assert isinstance(screen, expected), (
        f"expected {expected.__name__}, reached {type(screen).__name__}"
    )


def driver(
    *keys: str,
    expect: type[Screen[Any]],
    before: Callable[[Pilot[Any]], Awaitable[None]] | None = None,
    check: Callable[[Screen[Any]], None] | None = None,
) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")  # dismiss the resume dialog (there is a draft)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if before is not None:
            await before(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await steady(pilot)
        reached(pilot, expect)
        if check is not None:
            check(pilot.app.screen)

    return run_before


def test_caseload(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=LARGE,
        run_before=driver(expect=CaseloadScreen, check=columns(9)),
    )


def test_caseload_small(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    # At 80 columns the lower-priority columns (team, stage) drop; outcome and draft stay.
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SMALL,
        run_before=driver(expect=CaseloadScreen, check=columns(7)),
    )


def columns(count: int) -> Callable[[Screen[Any]], None]:
    def check(screen: Screen[Any]) -> None:
        header = str(screen.query_one("#caseload-header").render())
        assert "Outcome" in header and "Draft" in header
        shown = screen.query_one(CaseloadTable)._shown_columns
        assert len(shown) == count, shown
        assert "no need identified" in " ".join(shown_text(screen))

    return check


def shown_text(screen: Screen[Any]) -> list[str]:
    table = screen.query_one(CaseloadTable)
    return [table.render_line(y).text for y in range(table.shown)]


def test_resume_dialog(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await steady(pilot)
        reached(pilot, ChooseDialog)

    assert snap_compare(make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=run_before)


def test_young_person(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1002", "enter")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SIZE,
        run_before=driver(*keys, expect=YoungPersonScreen),
    )


def test_screening_question(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1001", "enter", "s", "1", "n", "s")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=LARGE,
        run_before=driver(*keys, expect=ScreeningScreen, check=third_at_home),
    )


def test_screening_question_small(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1001", "enter", "s", "1", "n", "s")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SMALL,
        run_before=driver(*keys, expect=ScreeningScreen, check=third_at_home),
    )


def third_at_home(screen: Screen[Any]) -> None:
    # Progress by section, and within it: never a total that jumps.
    place = str(screen.query_one("#screening-place").render())
    assert "At home, question 3 of" in place
    assert "● At home" in str(screen.query_one("#screening-sections").render())


def test_safety_stop(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    def stopped(screen: Screen[Any]) -> None:
        assert isinstance(screen, SafetyStopScreen) and screen.result.routes
        (draft,) = [d for d in frozen_book.drafts() if d.case_ref == "YJ-1001"]
        assert draft.answers["safe-place"] == "no"  # stored before the stop showed

    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SMALL,
        run_before=driver(*ALL_NO, expect=SafetyStopScreen, check=stopped),
    )


def test_thank_you(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    def nothing_for_the_officer(screen: Screen[Any]) -> None:
        text = " ".join(str(w.render()) for w in screen.query(Static))
        assert "Thank you." in text
        for word in ("concern", "Safety", "999", "referral", "level"):
            assert word not in text

    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SMALL,
        run_before=driver(
            *ALL_NO, *SAFETY_ACTION, expect=ThankYouScreen, check=nothing_for_the_officer
        ),
    )


def test_finish_with_safety_escalation(
    snap_compare: Any, frozen_book: Casebook, tmp_path: Path
) -> None:
    keys = (*ALL_NO, *SAFETY_ACTION, "ctrl+o")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=LARGE,
        run_before=driver(*keys, expect=FinishScreen, check=safety_concern),
    )


def test_finish_small(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*ALL_NO, *SAFETY_ACTION, "ctrl+o")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SMALL,
        run_before=driver(*keys, expect=FinishScreen, check=safety_concern),
    )


def safety_concern(screen: Screen[Any]) -> None:
    assert isinstance(screen, FinishScreen) and screen.result is not None
    assert screen.result.outcome.safety is SafetyNow.CONCERN
    # The action written at the stop is there, ready to store on completion.
    assert screen.query_one("#safety-action", Input).value == "Called the duty social worker"


def test_finish_with_judgement(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    # No concern from the answers (a safe place: "y" last); the officer raises "at home"
    # to "past" with a reason.
    keys = (*"YJ-1001", "enter", "s", "1", *("n" * 11), "y", "ctrl+o", "ctrl+r", "1", "2")
    keys += (*"Sam said there were rows at home last year", "enter")

    def stored(screen: Screen[Any]) -> None:
        # The judgement is on the stored draft before the picture is taken.
        (draft,) = [d for d in frozen_book.drafts() if d.case_ref == "YJ-1001"]
        assert [(j.outcome, j.level) for j in draft.judgements] == [("home", "past")]

    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=(110, 44),
        run_before=driver(*keys, expect=FinishScreen, check=stored),
    )


def test_direct_work(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    from snt_youth.protect import list_matrices

    choice = str([m.id for m in list_matrices()].index("who-kept-me-safe") + 1)
    keys = (
        *"YJ-1002",
        "enter",
        "d",
        choice,
        "a",
        *"Mum",
        "enter",
        "enter",
        *"She hid me in her room",
        "enter",
        "right",
    )
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SIZE,
        run_before=driver(*keys, expect=DirectWorkScreen),
    )


def test_worksheets(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1002", "enter", "w")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SIZE,
        run_before=driver(*keys, expect=WorksheetsScreen),
    )


def test_notes_with_language_check(
    snap_compare: Any, frozen_book: Casebook, tmp_path: Path
) -> None:

    async def write(pilot: Pilot[Any]) -> None:
        for key in (*"YJ-1002", "enter", "n"):
            await pilot.press(key)
        await pilot.pause()
        pilot.app.screen.query_one(TextArea).insert(
            "Police were called after a volatile relationship incident at home."
        )
        for _ in range(50):  # the check runs after a short pause in typing
            await pilot.pause(0.1)
            if "volatile" in str(pilot.app.screen.query_one("#findings").render()):
                break

    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SIZE,
        run_before=driver(before=write, expect=NotesScreen),
    )


def test_help(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1001", "enter", "s", "1", "f1")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SIZE,
        run_before=driver(*keys, expect=HelpScreen),
    )


def test_privacy(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1001", "enter", "f12")
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SIZE,
        run_before=driver(*keys, expect=PrivacyScreen),
    )


def test_quarter(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=LARGE,
        run_before=driver("f7", expect=QuarterScreen, check=funnel_fits(LARGE[0])),
    )


def test_quarter_small(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    assert snap_compare(
        make_app(frozen_book, tmp_path),
        terminal_size=SMALL,
        run_before=driver("f7", expect=QuarterScreen, check=funnel_fits(SMALL[0])),
    )


def funnel_fits(width: int) -> Callable[[Screen[Any]], None]:
    def check(screen: Screen[Any]) -> None:
        assert isinstance(screen, QuarterScreen) and screen.report is not None
        lines = str(screen.query_one("#funnel").render()).splitlines()
        assert lines and all(len(line) <= width - 4 for line in lines)

    return check
