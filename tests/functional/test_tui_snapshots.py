"""Snapshots of the main screens, made deterministic.

The date is frozen (ages, default dates), every worker is awaited, cursor blink is off
and notifications are cleared before the picture is taken. Update with
``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

import snt_youth
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.tui.app import SntApp, create_app

TODAY = dt.date(2026, 6, 15)
SIZE = (110, 36)


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


def driver(*keys: str, before: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> Any:
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

    return run_before


def test_caseload(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    assert snap_compare(make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver())


def test_resume_dialog(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await steady(pilot)

    assert snap_compare(make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=run_before)


def test_young_person(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1002", "enter")
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver(*keys)
    )


def test_screening_question(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1001", "enter", "s", "1", "n", "s")
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver(*keys)
    )


def test_finish_with_safety_escalation(
    snap_compare: Any, frozen_book: Casebook, tmp_path: Path
) -> None:
    keys = (*"YJ-1001", "enter", "s", "1", *("n" * 12))
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=(110, 44), run_before=driver(*keys)
    )


def test_finish_with_judgement(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    # No concern from the answers (a safe place: "y" last); the officer raises "at home"
    # to "past" with a reason.
    keys = (*"YJ-1001", "enter", "s", "1", *("n" * 11), "y", "ctrl+r", "1", "2")
    keys += (*"Sam said there were rows at home last year", "enter")
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=(110, 44), run_before=driver(*keys)
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
        make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver(*keys)
    )


def test_worksheets(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1002", "enter", "w")
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver(*keys)
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
        make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver(before=write)
    )


def test_help(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1001", "enter", "s", "1", "f1")
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver(*keys)
    )


def test_privacy(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    keys = (*"YJ-1001", "enter", "f12")
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=SIZE, run_before=driver(*keys)
    )


def test_quarter(snap_compare: Any, frozen_book: Casebook, tmp_path: Path) -> None:
    assert snap_compare(
        make_app(frozen_book, tmp_path), terminal_size=(110, 44), run_before=driver("f7")
    )
