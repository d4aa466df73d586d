"""The Casebook facade: young people, support offers, notes, audit, backup."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

import snt_youth
from snt_youth import model
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.errors import FormatError, InvalidInput, NotFound

# Dates in parameters are made when tests are collected: one "today" for all of them.
TODAY = dt.date.today()


@pytest.fixture
def book(db_url: str) -> Iterator[Casebook]:
    """A casebook whose "today" is this module's TODAY, so a run across midnight agrees."""
    with snt_youth.open(db_url, user="test.officer", clock=FixedClock(TODAY)) as opened:
        yield opened


DOB = dt.date(2010, 3, 4)


def add(book: Casebook, ref: str = "YJ-1", **kw: Any) -> model.YoungPerson:
    kw.setdefault("known_as", "Kai")
    return book.add_young_person(ref, kw.pop("dob", DOB), kw.pop("team", "north"), **kw)


def test_add_and_read_back(book: Casebook) -> None:
    added = add(book, gender="female", ethnicity="White", language="cy", officer="A. Officer")
    assert book.young_person("YJ-1") == added
    assert added.language is model.Language.WELSH
    assert [p.case_ref for p in book.young_people(team="north")] == ["YJ-1"]
    assert book.young_people(team="south") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dob": TODAY + dt.timedelta(days=1)}, "in the future"),
        ({"dob": TODAY.replace(year=TODAY.year - 30)}, "age of 30"),
        ({"dob": TODAY.replace(year=TODAY.year - 5)}, "age of 5"),
        ({"team": "atlantis"}, "Unknown team"),
        ({"known_as": "Kai Smith"}, "first name or initials"),
        ({"gender": "robot"}, "Gender 'robot' is not one of"),
    ],
)
def test_bad_young_person_is_refused_and_nothing_written(
    book: Casebook, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises((InvalidInput, NotFound), match=message):
        add(book, **kwargs)
    assert book.young_people() == []
    assert book.audit_trail() == []


def test_duplicate_case_reference_is_refused(book: Casebook) -> None:
    add(book)
    with pytest.raises(InvalidInput, match="already on the caseload"):
        add(book, known_as="Jo")
    assert book.young_person("YJ-1").known_as == "Kai"


def test_unknown_case_reference(book: Casebook) -> None:
    with pytest.raises(NotFound, match="No young person with case reference 'YJ-404'"):
        book.young_person("YJ-404")


def test_every_change_is_audited_with_who_and_when(db_url: str) -> None:
    with snt_youth.open(db_url, user="r.ahmed") as book:
        add(book)
        book.update_young_person("YJ-1", officer="J. Owen")
        offer = book.offer_support("YJ-1", "protective-adult", stage="pre-court")
        book.update_offer(offer.id, response="accepted", started_on=book.clock.today())
        book.add_note("YJ-1", "Met Kai at school.")
        events = book.audit_trail()
    assert [(e.action, e.record_type) for e in events] == [
        ("add", "young_person"),
        ("update", "young_person"),
        ("offer", "support_offer"),
        ("update", "support_offer"),
        ("add", "case_note"),
    ]
    assert {e.user for e in events} == {"r.ahmed"}
    assert all(abs((dt.datetime.now() - e.at).total_seconds()) < 120 for e in events)


def test_offer_lifecycle_and_attendance(book: Casebook) -> None:
    add(book)
    offer = book.offer_support("YJ-1", "young-people-idva", stage="post-court")
    assert offer.kind is model.SupportKind.EXTERNAL
    assert offer.response is model.OfferResponse.NO_RESPONSE
    today = TODAY
    updated = book.update_offer(offer.id, response="accepted", started_on=today, add_contacts=2)
    assert updated.attended and updated.contacts == 2
    done = book.update_offer(offer.id, end_reason="completed", ended_on=today)
    assert done.completed and not done.open
    assert book.offers("YJ-1") == [done]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"response": "maybe"}, "Response 'maybe'"),
        ({"ended_on": TODAY}, "end reason"),
        ({"started_on": dt.date(2000, 1, 1)}, "before"),
        ({}, "Nothing to change"),
    ],
)
def test_bad_offer_update_changes_nothing(
    book: Casebook, change: dict[str, Any], message: str
) -> None:
    add(book)
    offer = book.offer_support("YJ-1", "protective-adult", stage="pre-court")
    with pytest.raises(InvalidInput, match=message):
        book.update_offer(offer.id, **change)
    assert book.offer(offer.id) == offer


def test_declined_offer_cannot_have_contacts(book: Casebook) -> None:
    add(book)
    offer = book.offer_support("YJ-1", "protective-adult", stage="pre-court")
    book.update_offer(offer.id, response="declined")
    with pytest.raises(InvalidInput, match="declined"):
        book.update_offer(offer.id, add_contacts=1)


def test_offer_for_unknown_young_person_or_service(book: Casebook) -> None:
    with pytest.raises(NotFound):
        book.offer_support("YJ-404", "protective-adult", stage="pre-court")
    add(book)
    with pytest.raises(NotFound, match="Unknown support service"):
        book.offer_support("YJ-1", "magic", stage="pre-court")
    with pytest.raises(NotFound, match=r"No support offer with id 999"):
        book.update_offer(999, response="accepted")


def test_timeline_orders_events(book: Casebook) -> None:
    add(book)
    book.add_note("YJ-1", "Second note.", written_on=dt.date(2024, 5, 2))
    book.offer_support(
        "YJ-1", "protective-adult", stage="pre-court", offered_on=dt.date(2024, 5, 1)
    )
    timeline = book.timeline("YJ-1")
    assert [e.kind for e in timeline.events] == ["support", "note"]
    assert timeline.age == model.age_on(DOB, TODAY)


def test_backup_round_trip_is_identical(db_url: str, sqlite_url: str, tmp_path: Any) -> None:
    with snt_youth.open(db_url, clock=FixedClock(TODAY)) as book:
        add(book)
        add(book, "YJ-2", known_as=None, team="iss", ethnicity="Mixed or multiple ethnic groups")
        offer = book.offer_support("YJ-1", "protective-adult", stage="pre-court")
        book.update_offer(offer.id, response="accepted", started_on=TODAY)
        book.add_note("YJ-2", "Note with “quotes” and <tags> & emoji 🙂")
        first = book.export_backup()
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    with snt_youth.open(target, clock=FixedClock(TODAY)) as restored:
        restored.import_backup(json.loads(json.dumps(first)))
        second = restored.export_backup()
    for name, rows in first["tables"].items():
        if name in ("audit_events", "imported_audit_events"):
            continue
        assert second["tables"][name] == rows, name
    # The restore itself is the one local event; the backup's own history is kept whole,
    # marked as imported, and never mixed into this database's trail.
    audit2 = second["tables"]["audit_events"]
    assert [e["action"] for e in audit2] == ["import"]
    imported = second["tables"]["imported_audit_events"]
    assert [
        {**{k: e[k] for k in ("at", "user_name", "action", "record_type", "record_id", "detail",
                              "content_hash", "prev_hash", "hash", "redacted_by")},
         "id": e["original_id"]}
        for e in imported
    ] == first["tables"]["audit_events"]  # fmt: skip
    assert all(e["imported_from"].startswith("backup, exported ") for e in imported)


def test_import_is_all_or_nothing(book: Casebook, sqlite_url: str) -> None:
    add(book)
    data = book.export_backup()
    data["tables"]["case_notes"] = [{"id": 1, "young_person_id": 1, "written_on": "bad"}]
    with (
        snt_youth.open(
            sqlite_url.replace(".sqlite3", "-2.sqlite3"), clock=FixedClock(TODAY)
        ) as target,
        pytest.raises(FormatError),
    ):
        target.import_backup(data)
    with snt_youth.open(
        sqlite_url.replace(".sqlite3", "-2.sqlite3"), clock=FixedClock(TODAY)
    ) as target:
        assert target.is_empty()
        assert target.audit_trail() == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format_version=99), "newer snt-youth"),
        (lambda d: d.update(format="other-product"), "not an snt-youth backup"),
        (lambda d: d.pop("tables"), "incomplete"),
        (lambda d: d["tables"].update(strangers=[]), "unknown table"),
    ],
)
def test_bad_backup_files_are_refused(
    book: Casebook, mutate: Any, message: str, tmp_path: Any
) -> None:
    add(book)
    data = book.export_backup()
    mutate(data)
    with (
        snt_youth.open(
            f"sqlite:///{tmp_path / 'target.sqlite3'}", clock=FixedClock(TODAY)
        ) as target,
        pytest.raises(FormatError, match=message),
    ):
        target.import_backup(data)


def test_import_refuses_a_database_with_people(book: Casebook) -> None:
    add(book)
    with pytest.raises(InvalidInput, match="empty database"):
        book.import_backup(book.export_backup())
