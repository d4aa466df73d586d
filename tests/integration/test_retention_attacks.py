"""Attack tests for weeding: two runs at once, and a run killed part way.

Weeding is one transaction per young person, so whatever happens to a run, every young
person is either whole (every row they had) or gone (no row left), and each is weeded
exactly once.
"""

from __future__ import annotations

import datetime as dt
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from tests.support import sqlite as raw_sqlite

import snt_youth
from snt_youth import demo
from snt_youth.casebook import FixedClock
from snt_youth.identifiers import date_spellings, mentions_case_ref, names_young_person

TODAY = dt.date(2026, 3, 2)
FAR = "2090-01-01"
ATTACHED = ("screenings", "support_offers", "sessions", "case_notes")


def _rows_per_person(url: str) -> dict[str, tuple[int, ...]]:
    """Each young person's row count in every table attached to them."""
    engine = raw_sqlite.engine(url)
    try:
        with engine.connect() as conn:
            people = dict(conn.execute(text("SELECT id, case_ref FROM young_people")).all())
            counts: dict[str, list[int]] = {ref: [] for ref in people.values()}
            for table in ATTACHED:
                found = dict(
                    conn.execute(
                        text(f"SELECT young_person_id, count(*) FROM {table} GROUP BY 1")
                    ).all()
                )
                for pid, ref in people.items():
                    counts[ref].append(int(found.get(pid, 0)))
            orphans = conn.execute(
                text(
                    "SELECT count(*) FROM screening_answers a LEFT JOIN screenings s "
                    "ON s.id = a.screening_id WHERE s.id IS NULL"
                )
            ).scalar()
            assert orphans == 0
        return {ref: tuple(c) for ref, c in counts.items()}
    finally:
        engine.dispose()


def _weed_events(url: str) -> int:
    engine = raw_sqlite.engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM audit_events WHERE action = 'weed'")
                ).scalar()
                or 0
            )
    finally:
        engine.dispose()


def _apply(url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "snt_youth", "--db", url, "retention", "apply", "--as-at", FAR,
         "--confirm"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def test_two_runs_at_once_weed_each_young_person_once(db_url: str) -> None:
    with snt_youth.open(db_url, user="test.officer", clock=FixedClock(TODAY)) as book:
        demo.populate(book, n=30, seed=21)
    runs = [_apply(db_url), _apply(db_url)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()
    assert _rows_per_person(db_url) == {}
    assert _weed_events(db_url) == 30  # once each, never twice


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_run_killed_part_way_leaves_everyone_whole_or_gone(tmp_path: Path) -> None:
    rng = random.Random(5)
    part_way = 0
    for attempt in range(3):
        url = f"sqlite:///{tmp_path / f'killed-{attempt}.sqlite3'}"
        with snt_youth.open(url, user="test.officer", clock=FixedClock(TODAY)) as book:
            demo.populate(book, n=60, seed=attempt)
        before = _rows_per_person(url)
        run = _apply(url)
        # Kill it once it has begun weeding (whatever the machine's speed), at a random
        # moment soon after, so the kill lands inside the run and not before or after it.
        deadline = time.monotonic() + 120
        while run.poll() is None and _weed_events(url) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        after = _rows_per_person(url)
        part_way += 0 < len(after) < len(before)
        # Whoever is left has every row they had; nobody is half weeded.
        assert {ref: before[ref] for ref in after} == after
        assert _weed_events(url) == len(before) - len(after)
        # Running it again finishes the job.
        again = _apply(url)
        _, err = again.communicate(timeout=300)
        assert again.returncode == 0, err.decode()
        assert _rows_per_person(url) == {} and _weed_events(url) == len(before)
    assert part_way, "no run was killed while it was weeding; widen the window"


_REF = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9/_.\-]{0,12}[A-Za-z0-9]", fullmatch=True)
_WORDS = st.text(st.sampled_from(" ,;()!?"), max_size=20)


@settings(max_examples=200, deadline=None)
@given(
    ref=_REF, before=_WORDS, after=_WORDS, day=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
)
def test_an_identifier_is_found_wherever_it_sits_in_text(
    ref: str, before: str, after: str, day: dt.date
) -> None:
    assert mentions_case_ref(f"{before} {ref} {after}", ref)
    assert mentions_case_ref(f"{before}({ref.upper()}).", ref)
    assert not mentions_case_ref(f"{before} {ref}9 {after}", ref)
    for spelling in date_spellings(day):
        assert names_young_person(f"{before}{spelling}{after}", "ZZ-NONE-1", None, day)
    assert not names_young_person(f"{before} {after}", "ZZ-NONE-1", "Kai", day)
    assert names_young_person(f"{before} KAI {after}", "ZZ-NONE-1", "Kai", day)
