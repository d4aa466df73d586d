"""The change report and the research extract on a demo caseload, checked against a
full backup by hand, and through the command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.support.paths import PACKAGE_DATA

from snt_youth import demo
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.cli import cli
from snt_youth.tracking.change import model_of_change, report_levels
from snt_youth.tracking.intruder import examine

TODAY = dt.date(2026, 9, 1)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('change') / 'demo.sqlite3'}"
    with Casebook.open(url, user="test.manager", clock=FixedClock(TODAY)) as book:
        demo.populate(book, n=120, seed=5)
    return url


def _config_with_threshold(folder: Path, threshold: int) -> str:
    text = (PACKAGE_DATA / "service.toml").read_text(encoding="utf-8")
    assert "threshold = 5" in text
    path = folder / "service.toml"
    path.write_text(text.replace("threshold = 5", f"threshold = {threshold}"), encoding="utf-8")
    return str(path)


def _by_hand(
    tables: dict[str, list[dict[str, Any]]], instrument: Any
) -> dict[str, Counter[tuple[str, str]]]:
    """The transition counts of 2025-26, computed from a backup without the product's code."""
    start, end = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    answers: dict[int, dict[str, str]] = {}
    for a in tables["screening_answers"]:
        answers.setdefault(a["screening_id"], {})[a["item_id"]] = a["response"]
    done = [s for s in tables["screenings"] if s["status"] == "complete"]
    found: dict[str, Counter[tuple[str, str]]] = {}

    def level(s: dict[str, Any], outcome: str) -> str:
        value = s[outcome]
        if value != "not known":
            return str(value)
        items = [i.id for i in instrument.feeding(outcome)]
        gate = instrument.gate_for(outcome)
        items += [gate.id] if gate else []
        given = answers.get(s["id"], {})
        return (
            "prefer not to say"
            if any(given.get(i) == "prefer-not-to-say" for i in items)
            else value
        )

    for person in tables["young_people"]:
        mine = [s for s in done if s["young_person_id"] == person["id"]]
        posts = [
            s
            for s in mine
            if s["stage"] == "post-court"
            and start <= dt.date.fromisoformat(s["screened_on"]) <= end
        ]
        if not posts:
            continue
        post = max(posts, key=lambda s: (s["screened_on"], s["id"]))
        pres = [
            s for s in mine if s["stage"] == "pre-court" and s["screened_on"] <= post["screened_on"]
        ]
        if not pres:
            continue
        pre = max(pres, key=lambda s: (s["screened_on"], s["id"]))
        for outcome in ("home", "relationship", "own_behaviour", "safety"):
            found.setdefault(outcome, Counter())[(level(pre, outcome), level(post, outcome))] += 1
    return found


def test_transition_tables_match_a_count_by_hand_from_the_backup(
    demo_db: str, tmp_path: Path
) -> None:
    config = _config_with_threshold(tmp_path, 0)  # nothing suppressed: every figure compared
    with Casebook.open(demo_db, user="t", config_path=config, clock=FixedClock(TODAY)) as book:
        report = book.change_report("2025-26")
        backup = book.export_backup()
        instrument = book.instrument()
    by_hand = _by_hand(backup["tables"], instrument)
    assert report.cohort.value == sum(by_hand["home"].values()) > 10
    for item in report.transitions:
        for r, pre in enumerate(item.levels):
            for c, post in enumerate(item.levels):
                assert item.table.cells[r][c].value == by_hand[item.outcome][(pre, post)], (
                    item.outcome,
                    pre,
                    post,
                )


def test_the_published_report_passes_the_intruder_check(demo_db: str) -> None:
    with Casebook.open(demo_db, user="t", clock=FixedClock(TODAY)) as book:
        service = book.change_report("2025-26")
        team = book.change_report("2025-26", team=book.config.teams[0].id)
    for report in (service, team):
        examination = examine(model_of_change(report), exact=False)
        assert examination.consistent
        assert examination.disclosed == ()
    assert service.cohort.value is None or service.cohort.value > 5


def _cells(folder: Path) -> list[str]:
    found = []
    for path in folder.glob("*.csv"):
        if path.name == "data_dictionary.csv":
            continue
        with path.open(encoding="utf-8") as f:
            for row in csv.reader(f):
                found += row
    return found


def test_the_research_extract_is_de_identified(demo_db: str, tmp_path: Path) -> None:
    with Casebook.open(demo_db, user="t.evaluator", clock=FixedClock(TODAY)) as book:
        first = book.research_extract(tmp_path / "one")
        book.research_extract(tmp_path / "two")
        backup = book.export_backup()["tables"]
        key = {p: (ref, shift) for ref, p, shift in book.research_key(first.extract)}
        audit = [
            e
            for e in book.audit_trail()
            if e.action == "research-extract" and e.user == "t.evaluator"
        ]
    cells = set(_cells(tmp_path / "one"))
    people = backup["young_people"]
    secrets = {p["case_ref"] for p in people} | {p["known_as"] for p in people if p["known_as"]}
    secrets |= {p["date_of_birth"] for p in people}
    secrets |= {n["text"] for n in backup["case_notes"]}
    secrets |= {e["words"] for e in backup["session_entries"] if e["words"]}
    secrets |= {e["person"] for e in backup["session_entries"]}
    secrets |= {s["reflection"] for s in backup["sessions"] if s["reflection"]}
    for cell in cells:
        assert cell not in secrets
        assert not any(secret in cell for secret in secrets if len(secret) > 3)
    for path in (tmp_path / "one").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Pseudonyms: one per young person in the extract, used in every file, new each time.
    with (tmp_path / "one" / "young_people.csv").open(encoding="utf-8") as f:
        young = list(csv.DictReader(f))
    pseudonyms = {r["person"] for r in young}
    assert len(pseudonyms) == len(young) == first.people
    with (tmp_path / "one" / "screenings.csv").open(encoding="utf-8") as f:
        screenings = list(csv.DictReader(f))
    assert {r["person"] for r in screenings} <= pseudonyms
    with (tmp_path / "two" / "young_people.csv").open(encoding="utf-8") as f:
        assert pseudonyms.isdisjoint({r["person"] for r in csv.DictReader(f)})
    # Every shifted date, moved back by the key, is a real screening date of that person.
    real: dict[str, set[str]] = {}
    refs = {p["id"]: p["case_ref"] for p in people}
    for s in backup["screenings"]:
        if s["status"] == "complete":
            real.setdefault(refs[s["young_person_id"]], set()).add(s["screened_on"])
    for row in screenings:
        ref, shift = key[row["person"]]
        back = dt.date.fromisoformat(row["screened_on"]) - dt.timedelta(days=shift)
        assert back.isoformat() in real[ref]
    # k-anonymity on the quasi-identifiers.
    sizes = Counter((r["team"], r["gender"], r["ethnic_group"], r["age"]) for r in young)
    assert min(sizes.values()) >= 5
    assert first.coarsening.reached >= 5
    assert len(audit) == 2 and "k reached" in audit[-1].detail and "7 files" in audit[-1].detail


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def test_the_command_line(demo_db: str, tmp_path: Path) -> None:
    bad = run("--db", demo_db, "report", "change", "--year", "2025")
    assert bad.exit_code == 2 and "financial year" in bad.output
    out = tmp_path / "change.json"
    good = run("--db", demo_db, "report", "change", "--year", "2025-26", "-o", str(out))
    assert good.exit_code == 0, good.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "snt-youth/change-report"
    assert data["transitions"][0]["levels"] == list(report_levels("home"))
    for fmt in ("csv", "xlsx", "pdf"):
        made = run(
            "--db",
            demo_db,
            "report",
            "change",
            "--year",
            "2025-26",
            "-o",
            str(tmp_path / f"c.{fmt}"),
        )
        assert made.exit_code == 0, made.output
        assert (tmp_path / f"c.{fmt}").stat().st_size > 100
    # 'export' with no subcommand is still the full backup: encrypted by default,
    # plain JSON with --plain.
    backup = run("--db", demo_db, "export", "-o", str(tmp_path / "backup.snt"))
    assert backup.exit_code == 0, backup.output
    assert (tmp_path / "backup.snt").read_bytes().startswith(b"snt-youth encrypted backup\n")
    plain = run("--db", demo_db, "export", "--plain", "-o", str(tmp_path / "backup.json"))
    assert plain.exit_code == 0, plain.output
    assert json.loads((tmp_path / "backup.json").read_text(encoding="utf-8"))["format"]
    extract = run("--db", demo_db, "export", "research", "-o", str(tmp_path / "x"))
    assert extract.exit_code == 0, extract.output
    assert "Every combination is held by at least" in extract.output
    again = run("--db", demo_db, "export", "research", "-o", str(tmp_path / "x"))
    assert again.exit_code == 2 and "empty folder" in again.output
    swapped = run(
        "--db",
        demo_db,
        "export",
        "research",
        "-o",
        str(tmp_path / "y"),
        "--since",
        "2026-01-01",
        "--until",
        "2025-01-01",
    )
    assert swapped.exit_code == 2 and "swap" in swapped.output


def test_the_key_is_kept_in_the_database_and_reads_back(book: Casebook, tmp_path: Path) -> None:
    demo.populate(book, n=25, seed=2)
    result = book.research_extract(tmp_path / "x")
    key = book.research_key(result.extract)
    with (tmp_path / "x" / "young_people.csv").open(encoding="utf-8") as f:
        written = {r["person"] for r in csv.DictReader(f)}
    assert {p for _ref, p, _shift in key} == written
    refs = {row.case_ref for row in book.caseload()}
    assert {ref for ref, _p, _shift in key} <= refs
    assert book.research_key("no-such-extract") == []


def test_weeding_a_young_person_removes_their_research_key(book: Casebook, tmp_path: Path) -> None:
    demo.populate(book, n=25, seed=2)
    result = book.research_extract(tmp_path / "x")
    key = book.research_key(result.extract)
    assert key
    gone, _pseudonym, _shift = key[0]
    book.erase_young_person(gone, reason="entered in error")
    left = book.research_key(result.extract)
    assert len(left) == len(key) - 1
    assert gone not in {ref for ref, _p, _s in left}
