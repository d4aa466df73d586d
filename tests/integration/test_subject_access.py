"""Subject access: the copy holds every row about the young person and none about anyone else."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from tests.support import sqlite as raw_sqlite
from tests.support.pdf import page_texts

import snt_youth
from snt_youth import demo, model, readability
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.cli import cli
from snt_youth.printing.sar_pdf import render_sar_pdf, sar_json

TODAY = dt.date(2026, 3, 2)
REF = "YJ-SAR1"
TEMPLATE = Path(__file__).resolve().parents[2] / "src/snt_youth/printing/templates/sar/sar.html.j2"


def _fill(book: Casebook) -> None:
    demo.populate(book, n=6, seed=11)
    book.add_young_person(REF, dt.date(2011, 7, 19), "north", known_as="Orla")
    screening = book.record_screening(
        REF, "pre-court", _answers(book), screened_on=dt.date(2026, 1, 12)
    ).screening
    offer = book.offer_support(
        REF, "protective-adult", screening_id=screening.id, offered_on=dt.date(2026, 1, 13)
    )
    book.record_session(
        REF,
        "who-kept-me-safe",
        [model.MatrixEntry("Gran", "safe", "let me sleep at hers")],
        held_on=dt.date(2026, 1, 20),
        offer_id=offer.id,
        reflection="Orla named her gran straight away.",
    )
    note = book.add_note(REF, "Orla came with her gran.", written_on=dt.date(2026, 1, 21))
    book.amend_note(note.id, reason="missed a word", text="Orla came in with her gran.")


def _answers(book: Casebook) -> dict[str, str]:
    from snt_youth.screening import next_item

    instrument = book.instrument()
    answers: dict[str, str] = {}
    while (item := next_item(instrument, answers)) is not None:
        answers[item.id] = next(c for c in item.codes if c not in item.concern)
    return answers


def _rows(url: str, sql: str, **bind: Any) -> list[dict[str, Any]]:
    engine = raw_sqlite.engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), bind)]
    finally:
        engine.dispose()


def test_the_copy_holds_every_row_about_them_and_none_about_anyone_else(db_url: str) -> None:
    with snt_youth.open(db_url, user="test.officer", clock=FixedClock(TODAY)) as book:
        _fill(book)
        others = [p.case_ref for p in book.young_people() if p.case_ref != REF]
        copy = book.subject_access(REF, output="a JSON file")
        data = json.loads(sar_json(copy))
        read = book.audit_trail()[-1]
    assert (read.action, read.record_type, read.record_id) == (
        "subject-access",
        "young_person",
        REF,
    )
    assert read.user == "test.officer" and read.at == dt.datetime.combine(TODAY, dt.time(9))

    (pid,) = [
        r["id"] for r in _rows(db_url, "SELECT id FROM young_people WHERE case_ref = :r", r=REF)
    ]
    where = {"p": pid}
    person = _rows(db_url, "SELECT * FROM young_people WHERE id = :p", **where)[0]
    assert data["format_version"] == 1
    assert data["person"]["case_ref"] == person["case_ref"]
    assert data["person"]["known_as"] == person["known_as"] == "Orla"
    assert data["person"]["date_of_birth"] == str(person["date_of_birth"])

    def ids(sql: str) -> list[int]:
        return sorted(int(r["id"]) for r in _rows(db_url, sql, **where))

    screenings = ids("SELECT id FROM screenings WHERE young_person_id = :p")
    offers = ids("SELECT id FROM support_offers WHERE young_person_id = :p")
    sessions = ids("SELECT id FROM sessions WHERE young_person_id = :p")
    notes = ids("SELECT id FROM case_notes WHERE young_person_id = :p")
    assert sorted(s["screening"]["id"] for s in data["screenings"]) == screenings
    assert sorted(o["offer"]["id"] for o in data["offers"]) == offers
    assert sorted(s["session"]["id"] for s in data["sessions"]) == sessions
    assert sorted(n["id"] for n in data["notes"]) == notes
    assert len(screenings) == len(offers) == len(sessions) == len(notes) == 1

    answers = _rows(
        db_url,
        "SELECT a.item_id, a.response FROM screening_answers a JOIN screenings s "
        "ON s.id = a.screening_id WHERE s.young_person_id = :p",
        **where,
    )
    copied = {(a["item_id"], a["code"]) for s in data["screenings"] for a in s["answers"]}
    assert copied == {(a["item_id"], a["response"]) for a in answers} and copied
    for s in data["screenings"]:
        for a in s["answers"]:
            assert a["young_person_question"] and a["officer_question"] and a["answer"]
    entries = _rows(
        db_url,
        "SELECT e.person, e.words FROM session_entries e JOIN sessions s "
        "ON s.id = e.session_id WHERE s.young_person_id = :p",
        **where,
    )
    assert [(e["person"], e["words"]) for s in data["sessions"] for e in s["entries"]] == [
        (e["person"], e["words"]) for e in entries
    ]
    assert data["sessions"][0]["entries"][0]["way"] == "kept you safe"
    assert data["notes"][0]["text"] == "Orla came in with her gran."

    # The audit events about them: on their record or anything attached.
    mine = {("young_person", REF)} | {
        (kind, str(i))
        for kind, found in (
            ("screening", screenings),
            ("support_offer", offers),
            ("session", sessions),
            ("case_note", notes),
        )
        for i in found
    }
    expected = sorted(
        int(r["id"])
        for r in _rows(db_url, "SELECT id, record_type, record_id FROM audit_events")
        if (r["record_type"], r["record_id"]) in mine and int(r["id"]) != read.id
    )
    assert sorted(e["id"] for e in data["audit"]) == expected
    assert any("missed a word" in e["detail"] for e in data["audit"])

    # Nobody else: no other case reference, and no other young person's record ids.
    dumped = json.dumps(data)
    for ref in others:
        assert not re.search(rf"{re.escape(ref)}(?![0-9])", dumped), ref


def test_the_pdf_is_for_the_young_person_and_holds_their_words(sqlite_url: str) -> None:
    with snt_youth.open(sqlite_url, user="test.officer", clock=FixedClock(TODAY)) as book:
        _fill(book)
        others = [p.case_ref for p in book.young_people() if p.case_ref != REF]
        copy = book.subject_access(REF)
        pdf = render_sar_pdf(copy, book.config)
    pages = page_texts(pdf)
    flat = re.sub(r"\s+", "", "".join(pages))

    def has(words: str) -> bool:
        return re.sub(r"\s+", "", words) in flat

    assert pages[0].count("OFFICIAL-SENSITIVE") >= 1 and all(
        "OFFICIAL-SENSITIVE" in p for p in pages
    )
    assert has(REF) and has("Orla") and has("2011-07-19")
    assert has("let me sleep at hers") and has("Orla came in with her gran.")
    assert has("In your words:") and has("In the officer's words:")
    assert has("What the worker thought, in the worker's words")
    for s in copy.screenings:
        for a in s.answers:
            assert has(a.young_person_question) and has(a.officer_question)
    assert not [ref for ref in others if re.search(rf"{re.escape(ref)}(?![0-9])", "".join(pages))]


def test_the_words_we_wrote_are_easy_to_read() -> None:
    source = TEMPLATE.read_text(encoding="utf-8")
    source = re.sub(r"<style>.*?</style>", "", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", source)
    lines = [line.strip() for line in re.sub(r"<[^>]*>", "\n", source).splitlines()]
    lines = [line for line in lines if re.search(r"[A-Za-z]", line)]
    assert len(lines) > 20
    body = "\n".join(line if line[-1] in ".?!:" else line + "." for line in lines)
    assert readability.measure(body).reading_age <= 9
    for line in lines:
        hard = [p for p in readability.problems(line) if "officer's" not in p]
        assert hard == [], (line, hard)


def test_the_sar_command_writes_private_files_and_refuses_other_formats(
    sqlite_url: str, tmp_path: Path
) -> None:
    with snt_youth.open(sqlite_url, user="test.officer", clock=FixedClock(TODAY)) as book:
        book.add_young_person(REF, dt.date(2011, 7, 19), "north", known_as="Orla")
    runner = CliRunner()
    for name in ("copy.json", "copy.pdf"):
        out = tmp_path / name
        result = runner.invoke(
            cli, ["--db", sqlite_url, "young-person", "sar", REF, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads((tmp_path / "copy.json").read_text())["person"]["case_ref"] == REF
    assert (tmp_path / "copy.pdf").read_bytes().startswith(b"%PDF")
    bad = runner.invoke(cli, ["--db", sqlite_url, "young-person", "sar", REF, "-o", "x.txt"])
    assert bad.exit_code == 2 and "FILE.pdf or FILE.json" in bad.output
    unknown = runner.invoke(
        cli, ["--db", sqlite_url, "young-person", "sar", "YJ-NONE", "-o", "x.pdf"]
    )
    assert unknown.exit_code == 2 and "No young person" in unknown.output
    with snt_youth.open(sqlite_url, user="test.officer") as book:
        reads = [e for e in book.audit_trail() if e.action == "subject-access"]
    assert [e.record_id for e in reads] == [REF, REF]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("ref", ["YJ-1", "yj-1"])
def test_a_reference_inside_a_longer_one_is_someone_else(sqlite_url: str, ref: str) -> None:
    with snt_youth.open(sqlite_url, user="test.officer", clock=FixedClock(TODAY)) as book:
        book.add_young_person("YJ-1", dt.date(2011, 1, 1), "north")
        book.add_young_person("YJ-10", dt.date(2011, 1, 2), "north")
        book.add_note("YJ-10", "Met at school.")
        copy = book.subject_access(ref)
    assert copy.person.case_ref == "YJ-1"
    assert all("YJ-10" not in e.detail for e in copy.audit) and copy.notes == ()
