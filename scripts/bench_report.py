"""Benchmark: quarterly figures for a large synthetic service, against hand-written SQL.

Builds (once, then reuses) a service with 1,000,000 young people, 2,000,000 screenings,
1,000,000 support offers and 300,000 direct-work sessions over five years, then times:

- the headline funnel for one quarter through the product (``store.funnel``, the code
  ``Casebook.quarterly_report`` runs), against one hand-written SQL query computing the
  same numbers, in the same run (the numbers are checked to be equal);
- the full report (every breakdown, the trend, disclosure control) through the Casebook;
- the peak memory of the full report (Python allocations, and the process high-water mark).

    .venv/bin/python scripts/bench_report.py                     # SQLite
    .venv/bin/python scripts/bench_report.py --postgres URL      # and PostgreSQL
    .venv/bin/python scripts/bench_report.py --people 100000     # a smaller service
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sqlite3
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

import snt_youth
from snt_youth.casebook import Casebook
from snt_youth.store import funnel
from snt_youth.tracking.quarters import Quarter

TODAY = dt.date(2026, 11, 23)
START = TODAY - dt.timedelta(days=5 * 365)
QUARTER = Quarter.parse("2025-26 Q3")

HAND_SQL = """
WITH cohort AS (
    SELECT young_person_id AS pid, MIN(screened_on) AS first_on,
           MAX(CASE WHEN need_identified THEN 1 ELSE 0 END) AS need
    FROM screenings
    WHERE status = 'complete' AND screened_on >= :start AND screened_on <= :end
    GROUP BY young_person_id
),
levels AS (
    SELECT c.pid,
           MAX(CASE
               WHEN o.response = 'accepted'
                    AND (o.contacts > 0 OR EXISTS (SELECT 1 FROM sessions s
                         WHERE s.offer_id = o.id AND s.held_on <= :asat))
                    AND o.end_reason = 'completed' AND o.ended_on <= :asat THEN 4
               WHEN o.response = 'accepted'
                    AND (o.contacts > 0 OR EXISTS (SELECT 1 FROM sessions s
                         WHERE s.offer_id = o.id AND s.held_on <= :asat)) THEN 3
               WHEN o.response = 'accepted' THEN 2
               ELSE 1 END) AS level
    FROM cohort c
    JOIN support_offers o
      ON o.young_person_id = c.pid AND o.offered_on >= c.first_on AND o.offered_on <= :asat
    WHERE c.need = 1
    GROUP BY c.pid
)
SELECT
    (SELECT COUNT(*) FROM cohort) AS screened,
    (SELECT COALESCE(SUM(need), 0) FROM cohort) AS need_identified,
    (SELECT COUNT(*) FROM levels) AS offered,
    (SELECT COUNT(*) FROM levels WHERE level >= 2) AS accepted,
    (SELECT COUNT(*) FROM levels WHERE level >= 3) AS attended,
    (SELECT COUNT(*) FROM levels WHERE level >= 4) AS completed,
    (SELECT COUNT(*) FROM cohort c WHERE EXISTS (
        SELECT 1 FROM sessions s WHERE s.young_person_id = c.pid AND s.held_on >= c.first_on
        AND s.held_on <= :asat AND s.protective_adult_identified)) AS protective_adult,
    (SELECT COUNT(DISTINCT young_person_id) FROM support_offers
      WHERE response = 'accepted' AND offered_on <= :asat
        AND COALESCE(started_on, offered_on) <= :end
        AND (ended_on IS NULL OR ended_on >= :start)) AS active
"""


def generate(people: int, seed: int = 11) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """Rows for each table, in chunks, as plain tuples in schema column order."""
    rng = random.Random(seed)
    teams = ("north", "south", "east", "west", "iss")
    genders = ("male",) * 8 + ("female",) * 2
    ethnicities = ("White",) * 7 + (
        "Black, Black British, Caribbean or African",
        "Mixed or multiple ethnic groups",
        "Asian or Asian British",
    )
    span = (TODAY - START).days - 200
    created = "2026-01-01 09:00:00.000000"
    chunk = 100_000
    screening_id = offer_id = session_id = 0
    for base in range(0, people, chunk):
        yp, sc, of, se = [], [], [], []
        for pid in range(base + 1, min(people, base + chunk) + 1):
            first = START + dt.timedelta(days=rng.randrange(span))
            dob = first - dt.timedelta(days=rng.randint(10 * 365, 17 * 365))
            yp.append(
                (
                    pid,
                    f"YJ-{pid:07d}",
                    None,
                    dob.isoformat(),
                    rng.choice(genders),
                    rng.choice(ethnicities),
                    rng.choice(teams),
                    "en",
                    None,
                    created,
                )
            )
            need_any = False
            for k, stage in enumerate(("pre-court", "post-court")):
                on = first + dt.timedelta(days=k * rng.randint(30, 180))
                need = rng.random() < 0.55
                need_any = need_any or need
                screening_id += 1
                sc.append(
                    (
                        screening_id,
                        pid,
                        stage,
                        on.isoformat(),
                        "officer",
                        "snt-screen",
                        "1.0",
                        "complete",
                        "past" if need else "none disclosed",
                        "no relationship",
                        "not applicable",
                        "none",
                        int(need),
                        "[]",
                        None,
                        created,
                    )
                )
            if need_any and rng.random() < 0.9:
                offer_id += 1
                offered = first + dt.timedelta(days=rng.randint(0, 20))
                roll = rng.random()
                response = (
                    "declined"
                    if roll < 0.15
                    else ("accepted" if roll < 0.85 else "no response yet")
                )
                internal = rng.random() < 0.6
                started = offered + dt.timedelta(days=7) if response == "accepted" else None
                ended = reason = None
                contacts = 0
                if started and rng.random() < 0.6:
                    ended = started + dt.timedelta(days=rng.randint(20, 120))
                    reason = "completed" if rng.random() < 0.7 else "disengaged"
                if started and not internal:
                    contacts = rng.randint(0, 6)
                of.append(
                    (
                        offer_id,
                        pid,
                        screening_id - 1,
                        "pre-court",
                        offered.isoformat(),
                        "internal" if internal else "external",
                        "protective-adult" if internal else "young-people-idva",
                        response,
                        started and started.isoformat(),
                        ended and ended.isoformat(),
                        reason,
                        contacts,
                    )
                )
                if started and internal:
                    for n in range(rng.randint(0, 2)):
                        session_id += 1
                        held = started + dt.timedelta(days=7 * n)
                        se.append(
                            (
                                session_id,
                                pid,
                                held.isoformat(),
                                "champion",
                                "who-kept-me-safe",
                                "1",
                                "",
                                "",
                                int(rng.random() < 0.7),
                                0,
                                offer_id,
                            )
                        )
        yield "young_people", yp
        yield "screenings", sc
        yield "support_offers", of
        yield "sessions", se


def build_sqlite(path: Path, people: int) -> None:
    with Casebook.open(f"sqlite:///{path}", user="bench", plain=True):
        pass  # schema from the product's migrations, plain for the stdlib driver
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        for table, rows in generate(people):
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    conn.execute("ANALYZE")
    conn.close()


def build_postgres(url: str, people: int) -> None:
    import psycopg

    with snt_youth.open(url, user="bench"):
        pass
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        for table, rows in generate(people):
            if not rows:
                continue
            with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_pg_row(table, row))
        conn.execute("ANALYZE")


def _pg_row(table: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    # Booleans are stored as 0/1 in the tuples; PostgreSQL wants true/false.
    bool_positions = {"screenings": (12,), "sessions": (8, 9)}.get(table, ())
    return tuple(bool(v) if i in bool_positions else v for i, v in enumerate(row))


def best_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(url: str, label: str) -> None:
    start = time.perf_counter()
    with snt_youth.open(url, user="bench"):
        pass  # an older benchmark database is upgraded to the newest schema first
    upgraded = time.perf_counter() - start
    if upgraded > 1:
        print(f"\nopened (and upgraded the schema) in {upgraded:.0f} s")
    engine = create_engine(url)
    dialect = engine.dialect.name

    def bind(value: dt.date) -> Any:
        return value.isoformat() if dialect == "sqlite" else value

    params = {
        "start": bind(QUARTER.start),
        "end": bind(min(QUARTER.end, TODAY)),
        "asat": bind(TODAY),
    }

    def hand() -> dict[str, int]:
        with engine.connect() as conn:
            row = conn.execute(text(HAND_SQL), params).mappings().one()
        return {k: int(v or 0) for k, v in row.items()}

    def product() -> dict[str, int]:
        with engine.connect() as conn:
            rows = funnel.headline_counts(conn, QUARTER, TODAY)
        return {r.measure: r.count for r in rows}

    hand()  # warm the page cache for both
    t_hand, expected = best_of(3, hand)
    t_product, got = best_of(3, product)
    assert got == expected, (got, expected)

    with snt_youth.open(url, user="bench") as book:
        tracemalloc.start()
        t_full, report = best_of(1, lambda: book.quarterly_report(QUARTER, report_date=TODAY))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{label} ({dialect}), quarter {QUARTER}, as at {TODAY}")
    print(f"  headline, hand-written SQL : {t_hand * 1000:8.0f} ms   {expected}")
    print(
        f"  headline, product          : {t_product * 1000:8.0f} ms   "
        f"ratio {t_product / t_hand:.2f} (target <= 1.5)"
    )
    print(
        f"  full report (all breakdowns, trend, disclosure control): {t_full:.2f} s (target <= 5 s)"
    )
    print(
        f"  peak Python memory during the full report: {peak / 2**20:.1f} MiB; "
        f"process high-water mark {rss:.0f} MiB"
    )
    print(f"  screened in the quarter: {report.headline.total.cell('screened').figure}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/snt-youth-bench-report.sqlite3"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--postgres", metavar="URL", help="also run on this (empty) PostgreSQL")
    args = parser.parse_args()
    stamp = args.db.with_suffix(".people")
    if args.rebuild or not args.db.exists() or stamp.read_text() != str(args.people):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        start = time.perf_counter()
        build_sqlite(args.db, args.people)
        stamp.write_text(str(args.people))
        print(
            f"built {args.db} with {args.people:,} young people in "
            f"{time.perf_counter() - start:.0f} s"
        )
    measure(f"sqlite:///{args.db}", "SQLite")
    if args.postgres:
        start = time.perf_counter()
        build_postgres(args.postgres, args.people)
        print(f"\nloaded PostgreSQL in {time.perf_counter() - start:.0f} s")
        measure(args.postgres, "PostgreSQL")


if __name__ == "__main__":
    main()
