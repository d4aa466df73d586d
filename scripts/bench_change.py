"""Benchmark (not a test): the change report and the research extract for a large service.

    python scripts/bench_change.py [--young-people 100000]

Loads a synthetic service straight into a migrated SQLite file (two screenings, six
answers each, one offer and one session with two matrix entries per young person),
then times each step in a fresh process, with that process's peak memory (maximum
resident set size). Wall time on a shared machine can be far above the CPU time, so
both are shown.

- ``report change`` (Casebook.change_report), against a baseline that only counts the
  home transition table with one SQL query (no levels split, no protection);
- ``export research`` (Casebook.research_extract), against a baseline that writes the
  same tables to CSV as they are (no pseudonyms, shifting or k-anonymity).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from snt_youth.casebook import Casebook, FixedClock

TEAMS = ["north", "south", "east", "west", "iss"]
HOME = ["none disclosed", "not known", "past", "ongoing"]
GENDERS = ["female", "male", "another gender", "not stated"]
ETHNICITIES = ["White", "Asian or Asian British", "Mixed or multiple ethnic groups", "not stated"]
ITEMS = ["home-control", "home-hurt", "home-police", "home-scared", "safe-now", "safe-place"]


def load(path: Path, people: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    now = "2026-06-01 09:00:00"
    yp, sc, ans, off, ses, ent = [], [], [], [], [], []
    for i in range(1, people + 1):
        dob = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randint(0, 2200))
        yp.append(
            (
                i,
                f"YJ-{i:07d}",
                f"yj-{i:07d}",
                dob.isoformat(),
                rng.choice(GENDERS),
                rng.choice(ETHNICITIES),
                rng.choice(TEAMS),
                "en",
                now,
            )
        )
        pre_day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        post_day = pre_day + dt.timedelta(days=rng.randint(20, 200))
        pre_home = rng.choice(HOME)
        post_home = pre_home if rng.random() < 0.6 else rng.choice(HOME)
        for k, (stage, day, home) in enumerate(
            (("pre-court", pre_day, pre_home), ("post-court", post_day, post_home))
        ):
            sid = 2 * i - 1 + k
            sc.append(
                (
                    sid,
                    i,
                    stage,
                    day.isoformat(),
                    "a.officer",
                    "snt-screen",
                    "1.0",
                    "complete",
                    home,
                    "no relationship",
                    "not applicable",
                    "none",
                    home in ("past", "ongoing"),
                    "[]",
                    now,
                )
            )
            ans += [(sid, item, rng.choice(["yes", "no", "not-sure"]), now) for item in ITEMS]
        offered = pre_day + dt.timedelta(days=rng.randint(0, 30))
        off.append(
            (
                i,
                i,
                2 * i - 1,
                "pre-court",
                offered.isoformat(),
                "internal",
                "protective-adult",
                "accepted",
                offered.isoformat(),
                0,
            )
        )
        held = offered + dt.timedelta(days=rng.randint(3, 40))
        ses.append(
            (
                i,
                i,
                held.isoformat(),
                "a.champion",
                "who-kept-me-safe",
                "1",
                "words",
                "",
                rng.random() < 0.6,
                False,
                i,
            )
        )
        ent += [(i, 0, "Nan", "safe", "some words"), (i, 1, "Mum", "cared", "more words")]
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO young_people (id, case_ref, case_key, date_of_birth, gender, ethnicity,"
            " team, language, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            yp,
        )
        conn.executemany(
            "INSERT INTO screenings (id, young_person_id, stage, screened_on, officer,"
            " instrument_id, instrument_version, status, home, relationship, own_behaviour,"
            " safety, need_identified, judgements, completed_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            sc,
        )
        conn.executemany(
            "INSERT INTO screening_answers (screening_id, item_id, response, answered_at)"
            " VALUES (?,?,?,?)",
            ans,
        )
        conn.executemany(
            "INSERT INTO support_offers (id, young_person_id, screening_id, stage, offered_on,"
            " kind, service, response, started_on, contacts) VALUES (?,?,?,?,?,?,?,?,?,?)",
            off,
        )
        conn.executemany(
            "INSERT INTO sessions (id, young_person_id, held_on, facilitator, matrix_id,"
            " matrix_version, reflection, next_steps, protective_adult_identified,"
            " confirmed_by_facilitator, offer_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            ses,
        )
        conn.executemany(
            "INSERT INTO session_entries (session_id, position, person, domain, words)"
            " VALUES (?,?,?,?,?)",
            ent,
        )
    conn.close()


def baseline_change(path: Path) -> Any:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT a.home, b.home, count(*) FROM screenings a JOIN screenings b"
        " ON a.young_person_id = b.young_person_id AND a.stage = 'pre-court'"
        " AND b.stage = 'post-court' WHERE b.screened_on BETWEEN '2025-04-01' AND '2026-03-31'"
        " GROUP BY a.home, b.home"
    ).fetchall()
    conn.close()
    return rows


def baseline_extract(path: Path, folder: Path) -> None:
    conn = sqlite3.connect(path)
    folder.mkdir()
    for table in (
        "young_people",
        "screenings",
        "screening_answers",
        "support_offers",
        "sessions",
        "session_entries",
    ):
        cursor = conn.execute(f"SELECT * FROM {table}")
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow([d[0] for d in cursor.description])
            writer.writerows(cursor)
    conn.close()


STEPS = ("change", "baseline-change", "extract", "baseline-extract")


def step(name: str, path: Path, folder: Path) -> str:
    """Run one step in this process; what it did, in words."""
    url = f"sqlite:///{path}"
    clock = FixedClock(dt.date(2026, 9, 1))
    if name == "change":
        with Casebook.open(url, user="bench", clock=clock) as book:
            report = book.change_report("2025-26")
        return f"report change, cohort {report.cohort}"
    if name == "baseline-change":
        baseline_change(path)
        return "baseline: one SQL count of the home table (no levels split, no protection)"
    if name == "extract":
        with Casebook.open(url, user="bench", clock=clock) as book:
            result = book.research_extract(folder / "extract")
        return (
            f"export research, {result.people:,} young people, "
            f"k reached {result.coarsening.reached}"
        )
    baseline_extract(path, folder / "raw")
    return "baseline: the same tables written to CSV as they are"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--young-people", type=int, default=100_000)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        start = time.perf_counter()
        what = step(args.step, Path(args.db), Path(args.db).parent)
        elapsed = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        peak = usage.ru_maxrss / 1024
        print(f"{elapsed:7.1f} s wall {cpu:7.1f} s CPU  peak {peak:7.0f} MB  {what}")
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        Casebook.open(f"sqlite:///{path}", user="bench").close()  # the product's schema
        start = time.perf_counter()
        load(path, args.young_people)
        print(f"loaded {args.young_people:,} young people in {time.perf_counter() - start:.1f} s")
        for name in STEPS:
            command = [sys.executable, __file__, "--step", name, "--db", str(path)]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
