"""Benchmark: bulk import of 100,000 young people and 200,000 screenings into SQLite.

Compares the product's restore path (``Casebook.import_backup``: format checks, every
value validated against the schema, one transaction, audited) with a raw
``sqlite3.executemany`` of the same rows into the same schema, in the same run.

    .venv/bin/python scripts/bench_import.py [--people 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from snt_youth import backup
from snt_youth.casebook import Casebook


def synthetic_tables(people: int, seed: int = 7) -> dict[str, list[dict[str, object]]]:
    rng = random.Random(seed)
    teams = ["north", "south", "east", "west", "iss"]
    now = dt.datetime(2026, 1, 1, 9, 0).isoformat()
    yp = []
    sc = []
    for i in range(1, people + 1):
        yp.append(
            {
                "id": i,
                "case_ref": f"YJ-{i:07d}",
                "known_as": None,
                "date_of_birth": dt.date(2009, 1, 1 + i % 28).isoformat(),
                "gender": "male",
                "ethnicity": "White",
                "team": rng.choice(teams),
                "language": "en",
                "officer": None,
                "created_at": now,
            }
        )
        for k, stage in enumerate(("pre-court", "post-court")):
            sc.append(
                {
                    "id": 2 * i - 1 + k,
                    "young_person_id": i,
                    "stage": stage,
                    "screened_on": dt.date(2025, 1 + k * 3, 1 + i % 28).isoformat(),
                    "officer": "a.officer",
                    "instrument_id": "snt-screen",
                    "instrument_version": "1.0",
                    "status": "complete",
                    "home": rng.choice(["none disclosed", "past", "ongoing", "not known"]),
                    "relationship": "no relationship",
                    "own_behaviour": "not applicable",
                    "safety": "none",
                    "need_identified": rng.random() < 0.5,
                    "judgements": "[]",
                    "safety_action": None,
                    "completed_at": now,
                }
            )
    return {"young_people": yp, "screenings": sc}  # fmt: skip


def product(tables: dict[str, list[dict[str, object]]], folder: Path) -> float:
    data = backup.envelope(tables, schema_revision="0001", at="2026-01-01T00:00:00", by="bench")
    product = f"sqlite:///{folder / 'product.sqlite3'}"
    with Casebook.open(product, user="bench", plain=True) as book:
        start = time.perf_counter()
        book.import_backup(data, source="bench")
        return time.perf_counter() - start


def baseline(tables: dict[str, list[dict[str, object]]], folder: Path) -> float:
    path = folder / "raw.sqlite3"
    with Casebook.open(f"sqlite:///{path}", user="bench", plain=True):
        pass  # same schema, created by the product's migrations, plain for sqlite3
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    start = time.perf_counter()
    with conn:
        for name, rows in tables.items():
            cols = list(rows[0])
            sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    tables = synthetic_tables(args.people)
    rows = sum(len(r) for r in tables.values())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = baseline(tables, folder)
        ours = product(tables, folder)
    print(f"rows: {rows:,} ({args.people:,} young people, {2 * args.people:,} screenings)")
    print(f"raw sqlite3 executemany : {raw:6.2f} s  {rows / raw:>10,.0f} rows/s")
    print(f"snt-youth import_backup : {ours:6.2f} s  {rows / ours:>10,.0f} rows/s")
    print(f"product rate / baseline rate: {raw / ours:.2f} (target >= 0.50)")


if __name__ == "__main__":
    main()
