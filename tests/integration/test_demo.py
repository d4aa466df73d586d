"""The demo caseload: realistic, made through the Casebook, and repeatable by seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import snt_youth
from snt_youth import demo
from snt_youth.errors import InvalidInput

# Columns that hold the moment a row was written, which differ between runs.
# The clock, and the audit chain's digests, which cover each event's time.
CLOCK_COLUMNS = {
    "created_at",
    "completed_at",
    "answered_at",
    "at",
    "content_hash",
    "prev_hash",
    "hash",
}


def content(url: str, n: int, seed: int) -> dict[str, Any]:
    with snt_youth.open(url, user="demo") as book:
        demo.populate(book, n=n, seed=seed)
        tables = book.export_backup()["tables"]
    return {
        name: [{k: v for k, v in row.items() if k not in CLOCK_COLUMNS} for row in rows]
        for name, rows in tables.items()
    }


def test_same_seed_gives_the_same_data(tmp_path: Path) -> None:
    a = content(f"sqlite:///{tmp_path / 'a.sqlite3'}", 25, seed=4)
    b = content(f"sqlite:///{tmp_path / 'b.sqlite3'}", 25, seed=4)
    c = content(f"sqlite:///{tmp_path / 'c.sqlite3'}", 25, seed=5)
    assert a == b
    assert a["young_people"] != c["young_people"]


def test_demo_covers_the_whole_funnel(tmp_path: Path) -> None:
    data = content(f"sqlite:///{tmp_path / 'd.sqlite3'}", 80, seed=1)
    people = data["young_people"]
    assert {p["team"] for p in people} == {"north", "south", "east", "west", "iss"}
    stages = {s["stage"] for s in data["screenings"] if s["status"] == "complete"}
    assert stages == {"pre-court", "post-court"}
    offers = data["support_offers"]
    assert {o["kind"] for o in offers} == {"internal", "external"}
    assert {o["response"] for o in offers} >= {"accepted", "declined"}
    assert any(o["end_reason"] == "completed" for o in offers)
    assert data["sessions"], "direct-work sessions are part of the demo"
    assert all(" " not in (p["known_as"] or "") for p in people), "known-as is never a full name"


def test_demo_refuses_a_database_with_records(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.sqlite3'}"
    with snt_youth.open(url) as book:
        demo.populate(book, n=3, seed=1)
        with pytest.raises(InvalidInput, match="empty database"):
            demo.populate(book, n=3, seed=1)
        assert len(book.young_people()) == 3
