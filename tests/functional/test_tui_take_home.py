"""The worksheets screen: the take-home copy of a safety plan, chosen with t."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.pdf import page_texts

import snt_youth
from snt_youth.casebook import Casebook
from snt_youth.tui.app import SntApp, create_app
from snt_youth.tui.screens.worksheets import WorksheetsScreen

SIZE = (120, 45)


@pytest.fixture
def book(sqlite_url: str) -> Iterator[Casebook]:
    with snt_youth.open(sqlite_url, user="test.officer") as opened:
        opened.add_young_person("YJ-1", dt.date(2011, 5, 1), "north", known_as="Sam")
        yield opened


async def _print_safety_plan(app: SntApp, presses: tuple[str, ...]) -> tuple[Path, str]:
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.open_worksheets("YJ-1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorksheetsScreen)
        names = [s.name for s in screen.sheets]
        screen.query_one("#ws-list").highlighted = names.index("safety-plan")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press(*presses)
        await pilot.pause()
        title = str(screen.query_one("#ws-title").render())
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = screen.last_path
    assert written is not None
    return written, title


@pytest.mark.parametrize(
    ("presses", "shown", "name_printed"),
    [
        ((), "officer's copy", None),
        (("t",), "take-home, no name", False),
        (("t", "t"), "take-home, first name", True),
    ],
)
def test_t_chooses_the_copy_and_the_audit_records_it(
    book: Casebook, tmp_path: Path, presses: tuple[str, ...], shown: str, name_printed: bool | None
) -> None:
    app = create_app(book, output_dir=tmp_path)
    written, title = asyncio.run(_print_safety_plan(app, presses))
    assert shown in title
    text = " ".join(" ".join(page_texts(written.read_bytes())).split())
    prints = [e for e in book.audit_trail() if e.action == "print"]
    assert [str(e.record_id) for e in prints] == ["YJ-1"]
    if name_printed is None:
        assert written.name == "safety-plan-YJ-1.pdf"
        assert "OFFICIAL-SENSITIVE" in text and "YJ-1" in text
        assert "officer's file copy" in prints[0].detail
        return
    assert written.name == "safety-plan-take-home.pdf"
    assert "OFFICIAL" not in text and "YJ-1" not in text
    assert ("For Sam" in text) is name_printed
    assert "take-home copy" in prints[0].detail and "Sam" not in prints[0].detail
