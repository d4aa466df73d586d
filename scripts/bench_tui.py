#!/usr/bin/env python
"""Benchmark the terminal app with 10,000 young people (not a test).

Measures, each against a baseline in the same run:

1. process start -> first paint (the caseload screen on screen, ready for typing, rows
   still loading) and process start -> interactive caseload (every row loaded and drawn),
   for ``snt-youth``'s app; against a bare Textual app showing one line (first paint)
   and a bare Textual app showing the same rows in a DataTable (interactive);
2. filter per keystroke (key press -> table refreshed), for the app's virtual table and
   for a DataTable refilled on each key.

Usage: .venv/bin/python scripts/bench_tui.py [--people 10000] [--runs 5]
The 10,000-person database is made once (demo data scaled up) and cached in /tmp.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUERY = "yj-10 north need"


# -- the database ------------------------------------------------------------------------
def scaled_backup(data: dict[str, Any], times: int) -> dict[str, Any]:
    """The backup repeated ``times`` times with fresh ids and case references."""
    tables = data["tables"]
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    top = {name: max((r.get("id", 0) for r in rows), default=0) for name, rows in tables.items()}
    for copy_no in range(times):

        def shift(name: str, value: int | None, copy_no: int = copy_no) -> int | None:
            return None if value is None else value + copy_no * top[name]

        for row in tables["young_people"]:
            new = copy.copy(row)
            new["id"] = shift("young_people", row["id"])
            new["case_ref"] = f"{row['case_ref']}-{copy_no:03d}"
            out["young_people"].append(new)
        for row in tables["screenings"]:
            new = copy.copy(row)
            new["id"] = shift("screenings", row["id"])
            new["young_person_id"] = shift("young_people", row["young_person_id"])
            out["screenings"].append(new)
        for row in tables["screening_answers"]:
            new = copy.copy(row)
            new["screening_id"] = shift("screenings", row["screening_id"])
            out["screening_answers"].append(new)
        for row in tables["support_offers"]:
            new = copy.copy(row)
            new["id"] = shift("support_offers", row["id"])
            new["young_person_id"] = shift("young_people", row["young_person_id"])
            new["screening_id"] = shift("screenings", row["screening_id"])
            out["support_offers"].append(new)
        for row in tables["sessions"]:
            new = copy.copy(row)
            new["id"] = shift("sessions", row["id"])
            new["young_person_id"] = shift("young_people", row["young_person_id"])
            new["offer_id"] = shift("support_offers", row["offer_id"])
            out["sessions"].append(new)
        for row in tables["session_entries"]:
            new = copy.copy(row)
            new["session_id"] = shift("sessions", row["session_id"])
            out["session_entries"].append(new)
        for row in tables["case_notes"]:
            new = copy.copy(row)
            new["id"] = shift("case_notes", row["id"])
            new["young_person_id"] = shift("young_people", row["young_person_id"])
            out["case_notes"].append(new)
    return {**data, "tables": out}


def bench_database(people: int) -> str:
    from snt_youth import demo
    from snt_youth.casebook import Casebook

    folder = Path(tempfile.gettempdir()) / "snt-youth-bench"
    folder.mkdir(exist_ok=True)
    target = folder / f"caseload-{people}.sqlite3"
    url = f"sqlite:///{target}"
    if target.exists():
        return url
    seed_db = folder / "seed-100.sqlite3"
    seed_db.unlink(missing_ok=True)
    print("Making the benchmark database (once; about a minute)...", file=sys.stderr)
    with Casebook.open(f"sqlite:///{seed_db}", user="bench", plain=True) as book:
        demo.populate(book, n=100, seed=3)
        data = book.export_backup()
    data["tables"]["audit_events"] = []
    partial = folder / "partial.sqlite3"
    partial.unlink(missing_ok=True)
    # Plain: the file is renamed (a key belongs to a path), and the baseline reads it
    # with the stdlib driver.
    with Casebook.open(f"sqlite:///{partial}", user="bench", plain=True) as book:
        book.import_backup(scaled_backup(data, max(1, people // 100)), source="bench")
    partial.rename(target)
    return url


# -- child processes: one start each ------------------------------------------------------
def child_app(url: str) -> None:
    """Start the real app; print the clock when the caseload is on screen, then exit."""
    from snt_youth.tui.app import create_app
    from snt_youth.tui.screens.caseload import CaseloadScreen

    app = create_app(url, user="bench", first_run=False)
    original = CaseloadScreen.on_caseload_loaded
    original_mount = CaseloadScreen.on_mount

    def mounted(screen: CaseloadScreen) -> None:
        original_mount(screen)
        screen.call_after_refresh(lambda: print(f"PAINT {time.time():.6f}", flush=True))

    CaseloadScreen.on_mount = mounted  # type: ignore[method-assign,assignment]

    def loaded(screen: CaseloadScreen, message: Any) -> None:
        original(screen, message)

        def ready() -> None:
            print(f"READY {time.time():.6f} {screen.query_one('CaseloadTable').total}")  # type: ignore[attr-defined]
            app.exit()

        screen.call_after_refresh(ready)

    CaseloadScreen.on_caseload_loaded = loaded  # type: ignore[method-assign,assignment]
    app.offer_drafts = lambda **_: None  # type: ignore[method-assign]
    app.run(headless=True, size=(120, 40))


def child_bare() -> None:
    """A bare Textual app with one line of text: the least a first paint can cost."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Loading...")

        def on_mount(self) -> None:
            def ready() -> None:
                print(f"PAINT {time.time():.6f}")
                print(f"READY {time.time():.6f} 0")
                self.exit()

            self.call_after_refresh(ready)

    Bare().run(headless=True, size=(120, 40))


def child_baseline(path: str) -> None:
    """A bare Textual app: read the same rows (stdlib sqlite3) into a DataTable."""
    import sqlite3

    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            with sqlite3.connect(path) as db:
                rows = db.execute(
                    "select case_ref, known_as, date_of_birth, team, officer from young_people"
                ).fetchall()
            table = self.query_one(DataTable)
            table.add_columns("Case ref", "Known as", "Born", "Team", "Officer")
            table.add_rows(rows)

            def ready() -> None:
                print(f"READY {time.time():.6f} {table.row_count}")
                self.exit()

            self.call_after_refresh(ready)

    Bare().run(headless=True, size=(120, 40))


def time_start(args: list[str]) -> tuple[float, float]:
    """Seconds from process start to the first paint, and to the interactive caseload."""
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    ).stdout
    ready = next(x for x in out.splitlines() if x.startswith("READY"))
    paint = next((x for x in out.splitlines() if x.startswith("PAINT")), ready)
    return float(paint.split()[1]) - started, float(ready.split()[1]) - started


# -- filtering, in process --------------------------------------------------------------
async def filter_app(url: str) -> list[float]:
    from snt_youth.tui.app import create_app
    from snt_youth.tui.widgets.caseload_table import CaseloadTable

    app = create_app(url, user="bench", first_run=False)
    app.offer_drafts = lambda **_: None  # type: ignore[method-assign]
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(CaseloadTable)
        for _ in range(1200):  # the casebook opens in a worker after the first paint
            await pilot.pause(0.05)
            if table.total:
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.total > 0
        for key in QUERY.replace(" ", "\0"):
            start = time.perf_counter()
            await pilot.press("space" if key == "\0" else key)
            await pilot.pause()
            timings.append(time.perf_counter() - start)
        print(f"  app: {table.shown} rows match {QUERY!r}", file=sys.stderr)
    return timings


async def key_overhead() -> list[float]:
    """The cost of a key press and a refresh in a bare app with only an Input."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Bare()
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in QUERY.replace(" ", "\0"):
            start = time.perf_counter()
            await pilot.press("space" if key == "\0" else key)
            await pilot.pause()
            timings.append(time.perf_counter() - start)
    return timings


def filter_only(url: str) -> list[float]:
    """The app's own work per keystroke: the in-memory filter over every row."""
    import snt_youth
    from snt_youth.tui.widgets.caseload_table import CaseloadTable

    with snt_youth.open(url, user="bench") as book:
        rows = book.caseload()
    table = CaseloadTable()
    table.set_rows(rows)
    timings = []
    for n in range(1, len(QUERY) + 1):
        words = QUERY[:n].lower().split()
        start = time.perf_counter()
        hay = table._haystack
        [i for i in range(len(hay)) if all(w in hay[i] for w in words)]
        timings.append(time.perf_counter() - start)
    return timings


async def filter_baseline(url: str) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Input

    import snt_youth
    from snt_youth.tui.widgets.caseload_table import cells_of

    with snt_youth.open(url, user="bench") as book:
        rows = [cells_of(r) for r in book.caseload()]
    hay = [" ".join(r).lower() for r in rows]

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*(str(i) for i in range(len(rows[0]))))
            table.add_rows(rows)
            self.query_one(Input).focus()

        def on_input_changed(self, event: Input.Changed) -> None:
            words = event.value.lower().split()
            table = self.query_one(DataTable)
            table.clear()
            table.add_rows(r for r, h in zip(rows, hay, strict=True) if all(w in h for w in words))

    app = Bare()
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in QUERY.replace(" ", "\0"):
            start = time.perf_counter()
            await pilot.press("space" if key == "\0" else key)
            await pilot.pause()
            timings.append(time.perf_counter() - start)
    return timings


def summary(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:<38} median {statistics.median(ms):7.1f} ms   max {max(ms):7.1f} ms   (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=["app", "baseline", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "app":
        child_app(args.url)
        return
    if args.child == "baseline":
        child_baseline(args.url.removeprefix("sqlite:///"))
        return
    if args.child == "bare":
        child_bare()
        return

    os.environ.setdefault("SNT_YOUTH_HOME", tempfile.mkdtemp())
    url = bench_database(args.people)
    print(f"Database: {url}")
    print(f"Load average at start: {_loadavg()}")
    # Round robin, so a busy spell on the machine hits the app and the baselines alike.
    app_starts, bare_paints, table_starts = [], [], []
    for _ in range(args.runs):
        app_starts.append(time_start(["--child", "app", "--url", url]))
        bare_paints.append(time_start(["--child", "bare"]))
        table_starts.append(time_start(["--child", "baseline", "--url", url]))
    print("Start to first paint (caseload screen up, filter box ready, rows loading):")
    print(summary("  snt-youth app", [paint for paint, _ready in app_starts]))
    print(summary("  baseline: bare Textual, one line", [paint for paint, _r in bare_paints]))
    print("Start to interactive caseload with every row (target <= 1000 ms):")
    print(summary("  snt-youth app (virtual table)", [ready for _p, ready in app_starts]))
    print(summary("  baseline: bare Textual DataTable", [ready for _p, ready in table_starts]))
    print(f"Filter per keystroke, typing {QUERY!r} (target <= 100 ms):")
    print(summary("  snt-youth app (virtual table)", asyncio.run(filter_app(url))))
    print(summary("  of which the in-memory filter", filter_only(url)))
    print(summary("  baseline: DataTable refilled per key", asyncio.run(filter_baseline(url))))
    print(summary("  baseline: key press in a bare Input", asyncio.run(key_overhead())))
    print(f"Load average at end: {_loadavg()} on {os.cpu_count()} CPUs")


def _loadavg() -> str:
    """The 1, 5 and 15 minute load averages (the figures above are noisy on a busy machine)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


if __name__ == "__main__":
    main()
