"""The real ``snt-youth`` process in a terminal (tmux): answer, kill, restart, resume, finish.

This is the "laptop dies mid-screening" promise, tested end to end: the process is
killed with SIGKILL, and every answer given before that is in the database.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import snt_youth
from snt_youth import model

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

SNT = Path(sys.executable).parent / "snt-youth"


class Terminal:
    """One tmux session on its own server socket, running one command."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def tmux(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=False,
            env=self.env,
        )
        return out.stdout

    def start(self, command: str, size: tuple[int, int] = (120, 40)) -> None:
        width, height = size
        self.tmux("new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height), command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "app", key)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared. Screen:\n{self.screen()}")

    def pid(self) -> int:
        return int(self.tmux("list-panes", "-t", "app", "-F", "#{pane_pid}").strip())

    def kill_server(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = {
        **os.environ,
        "SNT_YOUTH_HOME": str(tmp_path / "home"),
        "SNT_YOUTH_USER": "test.officer",
        "TERM": "xterm-256color",
        "TMUX": "",
    }
    env.pop("SNT_YOUTH_CONFIG", None)
    term = Terminal(f"snt-test-{uuid.uuid4().hex[:8]}", env)
    try:
        yield term
    finally:
        term.kill_server()


def test_killed_mid_screening_then_resumed_and_completed(
    terminal: Terminal, sqlite_url: str, tmp_path: Path
) -> None:
    with snt_youth.open(sqlite_url, user="test.officer") as book:
        book.add_young_person("YJ-77", dt.date(2011, 4, 4), "north", known_as="Rio")
        instrument = book.instrument()
    command = f"{SNT} --db {sqlite_url} tui --output-dir {tmp_path}"

    terminal.start(command)
    terminal.wait_for("YJ-77")
    terminal.keys("Y", "J", "-", "7", "7", "Enter")
    terminal.wait_for("Screening")  # the young person screen's footer
    terminal.keys("s")
    terminal.wait_for("Which screening?")
    terminal.keys("1")
    first = instrument.items[0]
    terminal.wait_for(first.young_person)
    terminal.keys("n", "y")
    terminal.wait_for("question 3")
    # The laptop dies: SIGKILL, no chance to clean up.
    os.kill(terminal.pid(), 9)
    time.sleep(0.3)
    terminal.kill_server()

    with snt_youth.open(sqlite_url, user="test.officer") as book:
        draft = book.draft_for("YJ-77", "pre-court")
        assert draft is not None
        assert len(draft.answers) == 2
        assert draft.answers[first.id] == "no"

    terminal.start(command)
    terminal.wait_for("Carry on where you left off?")
    terminal.keys("1")
    terminal.wait_for("question 3")
    stopped = False
    for _ in range(40):
        shown = terminal.screen()
        if "That is all the questions." in shown:
            break
        if "safety concern" in shown and not stopped:
            # The questions stop at once: the officer writes what they did.
            terminal.keys(*"Referral made, manager told", "Enter")
            stopped = True
            time.sleep(0.3)
            continue
        terminal.keys("n")
        time.sleep(0.05)
    shown = terminal.wait_for("That is all the questions.")
    assert "Safety" not in shown and "999" not in shown  # nothing for the officer yet
    terminal.keys("C-o")  # the screen is handed back
    terminal.wait_for("For the officer")
    terminal.keys("C-s")
    terminal.wait_for("Offer which support?")
    terminal.keys("1")
    terminal.wait_for("What did the young person say?")
    terminal.keys("1")
    terminal.wait_for("1 offer recorded")
    terminal.keys("C-q")

    with snt_youth.open(sqlite_url, user="test.officer") as book:
        screening = book.screening(draft.id)
        assert screening.status is model.ScreeningStatus.COMPLETE
        assert screening.answers[first.id] == "no"
        offers = book.offers("YJ-77")
        assert [o.screening_id for o in offers] == [draft.id]
        assert offers[0].response is model.OfferResponse.ACCEPTED


def test_a_typed_note_survives_escape_and_kill_at_80_by_24(
    terminal: Terminal, sqlite_url: str, tmp_path: Path
) -> None:
    with snt_youth.open(sqlite_url, user="test.officer") as book:
        book.add_young_person("YJ-78", dt.date(2011, 4, 4), "north", known_as="Rio")
    command = f"{SNT} --db {sqlite_url} tui --output-dir {tmp_path}"
    terminal.start(command, size=(80, 24))
    terminal.wait_for("YJ-78")
    terminal.keys("Y", "J", "-", "7", "8", "Enter")
    terminal.wait_for("Screening")
    terminal.keys("n")
    terminal.wait_for("Case notes")
    terminal.keys(*"Rio said Mum kept him safe")
    terminal.keys("Escape")
    terminal.wait_for("This note is not saved yet")  # Escape asks; it never throws away
    terminal.keys("3")  # keep editing
    time.sleep(0.3)
    os.kill(terminal.pid(), 9)
    time.sleep(0.3)
    terminal.kill_server()
    drafts = tmp_path / "home" / "tui-drafts.json"
    assert drafts.stat().st_mode & 0o777 == 0o600
    assert "Rio said Mum kept him safe" in drafts.read_text(encoding="utf-8")

    terminal.start(command, size=(80, 24))
    terminal.wait_for("Carry on where you left off?")
    terminal.keys("1")
    terminal.wait_for("Rio said Mum kept him safe")
    terminal.keys("C-s")
    terminal.wait_for("Note saved")
    terminal.keys("C-q")
    with snt_youth.open(sqlite_url, user="test.officer") as book:
        assert [n.text for n in book.notes("YJ-78")] == ["Rio said Mum kept him safe"]
    assert "Rio" not in drafts.read_text(encoding="utf-8")
