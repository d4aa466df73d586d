"""The file review screen, driven by Pilot: the team summary matches the stored notes."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

import snt_youth
from snt_youth.casebook import Casebook
from snt_youth.tui.app import SntApp, create_app
from snt_youth.tui.screens.caseload import CaseloadScreen
from snt_youth.tui.screens.review import ReviewScreen

SIZE = (120, 45)

# lint-notes: allow
BLAMING = "Mum failed to protect Sam from the volatile relationship."
SOUND = "Mr B hit Ms A in front of Sam; Ms A took Sam to her sister's. Sam said he was scared."


@pytest.fixture
def book(sqlite_url: str) -> Iterator[Casebook]:
    with snt_youth.open(sqlite_url, user="test.officer") as opened:
        opened.add_young_person("YJ-1", dt.date(2011, 5, 1), "north", known_as="Sam")
        opened.add_young_person("YJ-2", dt.date(2009, 2, 1), "south", known_as="Ali")
        opened.add_note("YJ-1", BLAMING, written_on=dt.date(2026, 5, 1))
        opened.add_note("YJ-1", SOUND, written_on=dt.date(2026, 5, 2))
        opened.add_note("YJ-2", SOUND, written_on=dt.date(2026, 5, 3))
        yield opened


async def settle(pilot: object, app: SntApp) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def shown(app: SntApp) -> str:
    return str(app.screen.query_one("#review-summary").render())


def test_review_screen_shows_the_team_summary_by_key_and_by_team(
    book: Casebook, tmp_path: Path
) -> None:
    async def flow() -> None:
        app = create_app(book, output_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await pilot.press("f8")
            await settle(pilot, app)
            assert isinstance(app.screen, ReviewScreen)
            summary = app.screen.summary
            assert summary is not None
            # Three notes, one with wording to look at (two findings).
            assert (summary.notes, summary.notes_with_findings, summary.findings) == (3, 1, 2)
            assert summary.by_marker["actor-named"] == 2
            text = shown(app)
            assert "Notes reviewed: 3" in text
            assert "Notes with wording to look at: 1" in text
            # No names and no case references in the summary.
            assert "Sam" not in text and "YJ-1" not in text
            # t: one team at a time; the first team in the service file comes first.
            await pilot.press("t")
            await settle(pilot, app)
            first_team = book.config.teams[0].id
            expected = sum(len(book.notes(p.case_ref)) for p in book.young_people(team=first_team))
            assert app.screen.summary is not None
            assert app.screen.summary.notes == expected
            # The team by its name, not its id.
            name = book.config.teams[0].name
            assert name in str(app.screen.query_one("#review-status").render())
            await pilot.press("escape")
            assert isinstance(app.screen, CaseloadScreen)

    asyncio.run(flow())


def test_review_screen_opens_from_the_command_palette(book: Casebook, tmp_path: Path) -> None:
    async def flow() -> None:
        app = create_app(book, output_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Review")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot, app)
            assert isinstance(app.screen, ReviewScreen)
            assert app.screen.summary is not None
            assert app.screen.summary.notes == 3

    asyncio.run(flow())
