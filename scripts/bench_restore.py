"""Benchmark: the checked bulk restore against a raw ``executemany`` of the same rows.

Builds a synthetic backup (young people, two screenings each with answers, an offer,
a session with entries, a note, and audit events), then in the same run:

- **raw**: ``sqlite3.executemany`` of every row, already in storage form, into a fresh
  database at the newest schema, in one transaction;
- **restore**: ``Casebook.import_backup`` of the same document: the envelope read,
  every value checked against the schema, every row checked by the Casebook's own
  rules (the same as typed input), one transaction, audited.

The target is a restore at 0.5x the raw speed or better (restore time <= 2x raw).

    .venv/bin/python scripts/bench_restore.py [--people 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from snt_youth.casebook import Casebook
from snt_youth.store import KeyChoice, Store
from snt_youth.store.schema import ALL_TABLES, case_key, metadata

TEAMS = ("north", "south", "east", "west", "iss")
ANSWERED = ("home-hurt", "home-scare", "home-threat", "home-control", "home-police")


def synthetic_backup(people: int, seed: int = 5) -> dict[str, Any]:
    """A backup document whose every row passes the Casebook's rules."""
    rng = random.Random(seed)
    at = dt.datetime(2026, 1, 5, 9, 30)
    tables: dict[str, list[dict[str, Any]]] = {t.name: [] for t in ALL_TABLES}
    for i in range(1, people + 1):
        tables["young_people"].append(
            {
                "id": i,
                "case_ref": f"YJ-{i:06d}",
                "known_as": rng.choice(("Kai", "Mia", None)),
                "date_of_birth": dt.date(2010, 1 + i % 12, 1 + i % 28).isoformat(),
                "gender": rng.choice(("male", "female", "not stated")),
                "ethnicity": rng.choice(("White", "Asian or Asian British", "not stated")),
                "team": rng.choice(TEAMS),
                "language": "en",
                "officer": "A. Officer",
                "created_at": at.isoformat(),
                "version": 1,
            }
        )
        for k, stage in enumerate(("pre-court", "post-court")):
            sid = 2 * i - 1 + k
            tables["screenings"].append(
                {
                    "id": sid,
                    "young_person_id": i,
                    "stage": stage,
                    "screened_on": "2026-02-01",
                    "officer": "A. Officer",
                    "instrument_id": "snt-screen",
                    "instrument_version": "1.0",
                    "status": "complete",
                    "home": "past",
                    "relationship": "no relationship",
                    "own_behaviour": "not applicable",
                    "safety": "none",
                    "need_identified": True,
                    "judgements": "[]",
                    "safety_action": None,
                    "completed_at": "2026-02-01T10:00:00",
                    "version": 1,
                }
            )
            for item in ANSWERED:
                tables["screening_answers"].append(
                    {
                        "screening_id": sid,
                        "item_id": item,
                        "response": rng.choice(("no", "not-sure", "prefer-not-to-say")),
                        "answered_at": "2026-02-01T09:40:00",
                    }
                )
        tables["support_offers"].append(
            {
                "id": i,
                "young_person_id": i,
                "screening_id": 2 * i - 1,
                "stage": "pre-court",
                "offered_on": "2026-02-03",
                "kind": "internal",
                "service": "protective-adult",
                "response": "accepted",
                "started_on": "2026-02-05",
                "ended_on": None,
                "end_reason": None,
                "contacts": 0,
                "version": 3,
            }
        )
        tables["sessions"].append(
            {
                "id": i,
                "young_person_id": i,
                "held_on": "2026-02-10",
                "facilitator": "B. Champion",
                "matrix_id": "who-kept-me-safe",
                "matrix_version": "1.0",
                "reflection": "I did not know Mum did so much.",
                "next_steps": "",
                "protective_adult_identified": True,
                "confirmed_by_facilitator": False,
                "offer_id": i,
                "version": 1,
            }
        )
        for position, (person, domain) in enumerate((("Mum", "safe"), ("Nan", "cared"))):
            tables["session_entries"].append(
                {
                    "session_id": i,
                    "position": position,
                    "person": person,
                    "domain": domain,
                    "words": "took me to her house",
                }
            )
        tables["case_notes"].append(
            {
                "id": i,
                "young_person_id": i,
                "written_on": "2026-02-11",
                "author": "A. Officer",
                "text": "Met at the youth justice office.",
                "version": 1,
            }
        )
        for n in range(3):
            tables["audit_events"].append(
                {
                    "id": 3 * (i - 1) + n + 1,
                    "at": at.isoformat(),
                    "user_name": "A. Officer",
                    "action": "add",
                    "record_type": "young_person",
                    "record_id": f"YJ-{i:06d}",
                    "detail": "",
                }
            )
    return {
        "format": "snt-youth/backup",
        "format_version": 1,
        "schema_revision": "0003",
        "exported_at": at.isoformat(),
        "exported_by": "bench",
        "tables": tables,
    }


def raw_executemany(path: Path, document: dict[str, Any]) -> float:
    """Seconds to insert the backup's rows as they are, with plain executemany (tuples
    built from the rows, no checks), in one transaction, with the product's pragmas."""
    # The same schema, made by the product; plain, as the stdlib driver below writes it.
    Store(f"sqlite:///{path}", keys=KeyChoice(plain=True)).close()
    tables = {name: [dict(r) for r in rows] for name, rows in document["tables"].items()}
    for row in tables["young_people"]:
        row["case_key"] = case_key(row["case_ref"])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table in ALL_TABLES:
        rows = tables.get(table.name)
        if not rows:
            continue
        names = [c.name for c in metadata.tables[table.name].columns]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        conn.executemany(sql, [tuple(r.get(n) for n in names) for r in rows])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def checked_restore(path: Path, document: dict[str, Any], *, plain: bool = True) -> float:
    """Seconds for ``Casebook.import_backup`` of the document, validation on (into a
    plain file, as the baseline writes; ``plain=False`` for an encrypted one)."""
    with Casebook.open(f"sqlite:///{path}", user="bench", plain=plain) as book:
        start = time.perf_counter()
        book.import_backup(document, source="bench")
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20000)
    args = parser.parse_args()
    document = synthetic_backup(args.people)
    total = sum(len(rows) for rows in document["tables"].values())
    with tempfile.TemporaryDirectory() as folder:
        raw = raw_executemany(Path(folder) / "raw.sqlite3", document)
        restore = checked_restore(Path(folder) / "restore.sqlite3", document)
    print(f"{args.people} young people, {total} rows in all")
    print(f"raw executemany:           {raw:6.2f} s  ({total / raw:9.0f} rows/s)")
    print(f"checked restore (import):  {restore:6.2f} s  ({total / restore:9.0f} rows/s)")
    ratio = raw / restore
    verdict = "meets" if ratio >= 0.5 else "misses"
    print(f"restore speed = {ratio:.2f}x raw ({verdict} the 0.5x target)")


if __name__ == "__main__":
    main()
