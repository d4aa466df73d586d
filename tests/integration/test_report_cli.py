"""Quarterly figures end to end: demo data, the Casebook, the CLI and every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import snt_youth
from snt_youth import demo
from snt_youth.cli import cli
from snt_youth.tracking.quarters import Quarter


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'demo.sqlite3'}"
    with snt_youth.open(url, user="test.manager") as book:
        demo.populate(book, n=120, seed=3)
    return url


def busiest_quarter(url: str) -> Quarter:
    with snt_youth.open(url) as book:
        quarters = book.quarters_with_data()
        sizes = {
            q: book.quarterly_report(q, unsuppressed=True).headline.total.cell("screened").value
            for q in quarters
        }
    return max(sizes, key=lambda q: sizes[q] or 0)


def by_hand(backup: dict[str, Any], quarter: Quarter, as_at: dt.date) -> dict[str, int]:
    """The headline funnel worked out from a full export, following docs/quarterly-figures.md."""
    t = backup["tables"]
    day = dt.date.fromisoformat
    first: dict[int, dt.date] = {}
    need: set[int] = set()
    for s in t["screenings"]:
        on = day(s["screened_on"])
        if s["status"] == "complete" and quarter.start <= on <= quarter.end:
            pid = s["young_person_id"]
            first[pid] = min(first.get(pid, on), on)
            if s["need_identified"]:
                need.add(pid)
    sessions: dict[int, int] = {}
    for sess in t["sessions"]:
        if sess["offer_id"] and day(sess["held_on"]) <= as_at:
            sessions[sess["offer_id"]] = sessions.get(sess["offer_id"], 0) + 1
    offered, accepted, attended, completed = set(), set(), set(), set()
    for o in t["support_offers"]:
        pid = o["young_person_id"]
        if pid not in need or not first[pid] <= day(o["offered_on"]) <= as_at:
            continue
        offered.add(pid)
        if o["response"] != "accepted":
            continue
        accepted.add(pid)
        if o["contacts"] + sessions.get(o["id"], 0) == 0:
            continue
        attended.add(pid)
        if o["end_reason"] == "completed" and o["ended_on"] and day(o["ended_on"]) <= as_at:
            completed.add(pid)
    return {
        "screened": len(first),
        "need_identified": len(need),
        "offered": len(offered),
        "accepted": len(accepted),
        "attended": len(attended),
        "completed": len(completed),
    }


def test_headline_from_a_full_export_matches_the_unsuppressed_json(
    demo_db: str, tmp_path: Path
) -> None:
    quarter = busiest_quarter(demo_db)
    runner = CliRunner()
    out = tmp_path / "q.json"
    result = runner.invoke(
        cli,
        ["--db", demo_db, "report", "quarterly", "--quarter", str(quarter), "--unsuppressed",
         "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    published = json.loads(out.read_text())
    assert published["marking"] == "OFFICIAL-SENSITIVE: not for publication"
    headline = next(t for t in published["tables"] if t["id"] == "all")["rows"][-1]["cells"]
    with snt_youth.open(demo_db) as book:
        backup = book.export_backup()
    expected = by_hand(backup, quarter, dt.date.today())
    assert expected["screened"] > 5, "the demo quarter should not be trivially small"
    assert {m: headline[m]["value"] for m in expected} == expected


def test_unsuppressed_report_is_audited(demo_db: str) -> None:
    with snt_youth.open(demo_db, user="a.manager") as book:
        book.quarterly_report(busiest_quarter(demo_db), unsuppressed=True)
        event = book.audit_trail()[-1]
    assert (event.user, event.action) == ("a.manager", "unsuppressed-report")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf"])
def test_every_format_is_written_without_names_or_birth_dates(
    demo_db: str, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    quarter = str(busiest_quarter(demo_db))
    result = CliRunner().invoke(
        cli, ["--db", demo_db, "report", "quarterly", "--quarter", quarter, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert {"quarter", "measure", "breakdown", "group", "value", "suppressed"} <= set(rows[0])
        text = data.decode()
    elif fmt == "json":
        text = data.decode()
        assert json.loads(text)["format"] == "snt-youth/quarterly-report"
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(out)
        assert "Notes" in book.sheetnames and len(book.sheetnames) >= 7
        text = "\n".join(
            str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
        )
    else:
        from pypdf import PdfReader

        assert data.startswith(b"%PDF")
        text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
        assert "As at" in text or "as at" in text
    with snt_youth.open(demo_db) as casebook:
        people = casebook.young_people()
    for person in people:
        if person.known_as and len(person.known_as) > 2:
            assert f" {person.known_as} " not in f" {text} ", person.known_as
        assert person.date_of_birth.isoformat() not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2025 Q5"], "quarter"),
        (["--quarter", "next one"], "write it like"),
        (["--team", "mars"], "Unknown team 'mars'"),
        (["-o", "/nonexistent-folder/x.csv"], "Cannot write"),
        (["-o", "report.txt"], "Cannot tell the format"),
        (["--format", "pdf"], "needs a file"),
    ],
)
def test_bad_report_requests(demo_db: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["--db", demo_db, "report", "quarterly", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_empty_quarter_is_a_valid_report(demo_db: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", demo_db, "report", "quarterly", "--quarter", "2015-16 Q1", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert "2015-16 Q1,screened,all,All,0" in result.output


def test_report_quarters_lists_demo_quarters(demo_db: str) -> None:
    result = CliRunner().invoke(cli, ["--db", demo_db, "report", "quarters", "--calendar"])
    assert result.exit_code == 0 and "Q" in result.output
