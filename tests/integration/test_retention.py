"""Retention: the review's rule, weeding everyone, erasing one, and what is left behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.support.identifiers import Child, places_naming

import snt_youth
from snt_youth import demo, model
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.errors import InvalidInput, NotFound

TODAY = dt.date(2026, 3, 2)


def _open(url: str, day: dt.date = TODAY) -> Casebook:
    return snt_youth.open(url, user="test.officer", clock=FixedClock(day))


def _children(book: Casebook) -> list[Child]:
    return [Child(p.case_ref, p.known_as, p.date_of_birth) for p in book.young_people()]


def test_weeding_a_whole_demo_far_in_the_future_leaves_no_identifier(db_url: str) -> None:
    with _open(db_url) as book:
        demo.populate(book, n=25, seed=3)
        children = _children(book)
        assert len(children) == 25
        assert places_naming(db_url, children)  # the scan finds them while they are there
        quarter = book.quarters_with_data()[-2]
        pack = book.report_pack(quarter)
        release_id = book.record_release(pack)
        before = book.releases()
        assert any(r.id == release_id for r in before)

        due = book.retention_review(dt.date(2080, 1, 1))
        assert sorted(d.case_ref for d in due) == sorted(c.case_ref for c in children)
        steps: list[int] = []
        run = book.apply_retention(dt.date(2080, 1, 1), progress=steps.append)
        assert len(run.weeded) == 25 and sum(steps) == 25 and run.no_longer_due == ()
        assert book.young_people() == []
        assert book.counts()["screenings"] == 0 and book.counts()["case_notes"] == 0

        events = book.audit_trail()
        weeds = [e for e in events if e.action == "weed"]
        assert len(weeds) == 25
        assert all(e.record_id == "" and "retention period over" in e.detail for e in weeds)
        # The released figures of the past quarter are exactly as they were.
        assert book.releases() == before
        # The cleared events are redacted through the chain: it is still whole.
        redactions = [e for e in events if e.action == "redact"]
        assert redactions and all(e.record_id == "*" for e in redactions)
        assert book.verify_audit().whole, book.verify_audit().problem
    assert places_naming(db_url, children) == []


def test_the_rule_counts_from_the_later_of_last_contact_and_the_18th_birthday(
    db_url: str,
) -> None:
    with _open(db_url) as book:
        # Turns 18 on 2027-05-01: the birthday is the later date.
        book.add_young_person("YJ-1", dt.date(2009, 5, 1), "north", known_as="Ava")
        # Turned 18 in 2024; last contact a session in 2025.
        book.add_young_person("YJ-2", dt.date(2006, 1, 10), "north", known_as="Leo")
        book.record_session(
            "YJ-2",
            "who-kept-me-safe",
            [model.MatrixEntry("Nan", "safe", "let me stay")],
            held_on=dt.date(2025, 6, 3),
        )
        (one,) = [d for d in book.retention_review(TODAY, due_only=False) if d.case_ref == "YJ-1"]
        (two,) = [d for d in book.retention_review(TODAY, due_only=False) if d.case_ref == "YJ-2"]
    assert one.birthday == dt.date(2027, 5, 1)
    assert one.last_contact == TODAY and one.last_contact_kind == "added to the caseload"
    assert one.due_on == dt.date(2033, 5, 1) and not one.due
    assert two.last_contact == TODAY  # added today, after the session
    assert two.due_on == dt.date(2032, 3, 2)
    with _open(db_url) as book:
        assert [d.case_ref for d in book.retention_review(dt.date(2032, 3, 1))] == []
        assert [d.case_ref for d in book.retention_review(dt.date(2032, 3, 2))] == ["YJ-2"]
        assert [d.case_ref for d in book.retention_review(dt.date(2033, 5, 1))] == ["YJ-1", "YJ-2"]


@pytest.mark.parametrize(
    "kind",
    ["screening", "support offered", "support started", "support ended", "support contact",
     "session", "case note"],
)  # fmt: skip
def test_each_kind_of_contact_moves_the_last_contact(sqlite_url: str, kind: str) -> None:
    added = dt.date(2020, 1, 6)
    later = dt.date(2023, 9, 14)
    with _open(sqlite_url, added) as book:
        book.add_young_person("YJ-9", dt.date(2004, 2, 29), "north", known_as="Zak")
    with _open(sqlite_url, later) as book:
        if kind == "screening":
            book.start_screening("YJ-9", "pre-court", screened_on=later)
        elif kind.startswith("support"):
            offered = dt.date(2021, 1, 4) if kind != "support offered" else later
            offer = book.offer_support("YJ-9", "protective-adult", stage="pre-court",
                                       offered_on=offered)  # fmt: skip
            if kind == "support started":
                book.start_support(offer.id, on=later)
            elif kind == "support ended":
                book.start_support(offer.id, on=dt.date(2021, 2, 1))
                book.end_support(offer.id, "completed", on=later)
            elif kind == "support contact":
                book.accept_offer(offer.id)
                book.record_contact(offer.id)
        elif kind == "session":
            entry = model.MatrixEntry("Mum", "safe", "hid me")
            book.record_session("YJ-9", "who-kept-me-safe", [entry], held_on=later)
        else:
            book.add_note("YJ-9", "Met at school.", written_on=later)
        (decision,) = book.retention_review(later, due_only=False)
    assert decision.last_contact == later
    assert decision.last_contact_kind == kind
    # Born 29 February: the 18th birthday falls on 28 February 2022.
    assert decision.birthday == dt.date(2022, 2, 28)
    assert decision.due_on == dt.date(2029, 9, 14)


def test_a_service_sets_its_own_numbers(sqlite_url: str, tmp_path: Path) -> None:
    from tests.support.paths import PACKAGE_DATA

    text = (PACKAGE_DATA / "service.toml").read_text(encoding="utf-8")
    text = text.replace("years_after_last_contact = 6", "years_after_last_contact = 2")
    text = text.replace("from_birthday = 18", "from_birthday = 25")
    config = tmp_path / "service.toml"
    config.write_text(text, encoding="utf-8")
    with snt_youth.open(sqlite_url, user="t", clock=FixedClock(TODAY)) as plain:
        plain.add_young_person("YJ-5", dt.date(2010, 7, 7), "north")
    from snt_youth.casebook import Casebook as Book

    with Book.open(sqlite_url, user="t", config_path=str(config), clock=FixedClock(TODAY)) as book:
        (decision,) = book.retention_review(TODAY, due_only=False)
    assert decision.birthday == dt.date(2035, 7, 7)
    assert decision.due_on == dt.date(2037, 7, 7)


def test_erasing_one_child_leaves_the_others_whole(db_url: str) -> None:
    with _open(db_url) as book:
        demo.populate(book, n=8, seed=5)
        book.add_young_person("YJ-ERASE", dt.date(2011, 4, 23), "north", known_as="Quentin")
        offer = book.offer_support("YJ-ERASE", "protective-adult", stage="pre-court")
        book.record_session(
            "YJ-ERASE",
            "who-kept-me-safe",
            [model.MatrixEntry("Aunty", "safe", "took me in")],
            offer_id=offer.id,
        )
        book.add_note("YJ-ERASE", "Quentin talked about 23/04/2011 and his birthday.")
        others = [c for c in _children(book) if c.case_ref != "YJ-ERASE"]
        kept = {c.case_ref: book.timeline(c.case_ref) for c in others}
        events_before = [e for e in book.audit_trail() if "YJ-ERASE" not in e.detail]
        with pytest.raises(InvalidInput, match="needs a reason"):
            book.erase_young_person("YJ-ERASE", reason="  ")
        with pytest.raises(InvalidInput, match="must not name"):
            book.erase_young_person("YJ-ERASE", reason="Quentin's mother asked")
        with pytest.raises(InvalidInput, match="must not name"):
            book.erase_young_person("yj-erase", reason="entered in error for yj-erase")
        result = book.erase_young_person("yj-erase", reason="added to the wrong service")
        assert result.case_ref == "YJ-ERASE"
        assert result.rows["young_people"] == 1 and result.rows["sessions"] == 1
        assert result.rows["case_notes"] == 1 and result.rows["support_offers"] == 1
        with pytest.raises(NotFound):
            book.young_person("YJ-ERASE")
        assert {c.case_ref: book.timeline(c.case_ref) for c in others} == kept
        after = {e.id: e for e in book.audit_trail()}
        for event in events_before:
            if event.record_type == "young_person" and event.record_id == "YJ-ERASE":
                continue
            cleared = after[event.id]
            if cleared.record_id == "" and cleared.detail == "":
                continue  # about the erased child through one of their records
            assert cleared == event
        (erased,) = [e for e in after.values() if e.action == "erase"]
        assert erased.record_id == "" and "added to the wrong service" in erased.detail
        (redaction,) = [e for e in after.values() if e.action == "redact"]
        assert redaction.id > erased.id and f"cleared by event {erased.id}" in redaction.detail
        assert book.verify_audit().whole, book.verify_audit().problem
    assert places_naming(db_url, [Child("YJ-ERASE", "Quentin", dt.date(2011, 4, 23))]) == []


def test_a_new_contact_after_the_review_keeps_the_record(sqlite_url: str) -> None:
    with _open(sqlite_url, dt.date(2015, 1, 5)) as book:
        book.add_young_person("YJ-7", dt.date(2001, 3, 3), "north")
    as_at = dt.date(2025, 6, 1)
    with _open(sqlite_url, as_at) as book:
        assert [d.case_ref for d in book.retention_review(as_at)] == ["YJ-7"]
        book.add_note("YJ-7", "Came back to the service.")
        # The check is made again inside the weeding transaction.
        assert book._weed("YJ-7", "weed", "test", recheck_as_at=as_at) is None
        run = book.apply_retention(as_at)
        assert run.weeded == () and book.young_person("YJ-7").case_ref == "YJ-7"


def test_the_sqlite_file_keeps_no_deleted_text(tmp_path: Path) -> None:
    path = tmp_path / "weeded.sqlite3"
    url = f"sqlite:///{path}"
    with _open(url) as book:
        demo.populate(book, n=12, seed=9)
        refs = [c.case_ref.encode() for c in _children(book)]
        book.apply_retention(dt.date(2090, 1, 1))
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("weeded"))
    assert refs and not [r for r in refs if r in raw]
    assert b"took me to Nan" not in raw  # a matrix entry's words


def test_review_and_apply_from_the_cli(sqlite_url: str) -> None:
    import json

    from click.testing import CliRunner

    from snt_youth.cli import cli

    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli, ["--db", sqlite_url, *args], catch_exceptions=False)

    assert run("demo", "--young-people", "6").exit_code == 0
    now = run("retention", "review")
    assert now.exit_code == 0 and "No records are due" in now.output
    listed = run("retention", "review", "--as-at", "2090-01-01", "--json")
    due = json.loads(listed.output)
    assert len(due) == 6 and all(d["due"] and "last contact" in d["reason"] for d in due)
    text_view = run("retention", "review", "--as-at", "2090-01-01")
    assert "6 of 6 listed are due" in text_view.output
    refused = run("retention", "apply", "--as-at", "2090-01-01")
    assert refused.exit_code == 2 and "nothing was deleted" in refused.output
    assert len(json.loads(run("young-person", "list", "--json").output)) == 6
    done = run("retention", "apply", "--as-at", "2090-01-01", "--confirm")
    assert done.exit_code == 0 and "Weeded 6 young people" in done.output
    assert json.loads(run("young-person", "list", "--json").output) == []
    trail = json.loads(run("audit", "--json").output)
    assert sum(1 for e in trail if e["action"] == "weed") == 6


def test_audit_history_restored_from_a_backup_is_scrubbed_too(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    with _open(source) as book:
        demo.populate(book, n=5, seed=13)
        children = _children(book)
        data = book.export_backup()
    with _open(target) as book:
        book.import_backup(data, source="laptop backup")
        assert book.imported_audit_trail()  # the history came along
        assert places_naming(target, children)
        run = book.apply_retention(dt.date(2090, 1, 1))
        assert len(run.weeded) == 5
        kinds = {"young_person", "screening", "support_offer", "session", "case_note"}
        about = [e for e in book.imported_audit_trail() if e.record_type in kinds]
        assert about and all(e.record_id == "" for e in about)
        # Both chains still verify: this database's, and the restored history's, whose
        # cleared events are accounted for by this database's redact events.
        assert book.verify_audit().whole, book.verify_audit().problem
        verdicts = book.verify_imported_audit()
        assert verdicts and all(v is not None and v.whole for _, v in verdicts), verdicts
    assert places_naming(target, children) == []
