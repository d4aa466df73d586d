"""Rectification: each correction needs a reason and keeps the old and new value in the audit."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from snt_youth import model
from snt_youth.casebook import Casebook
from snt_youth.cli import cli
from snt_youth.errors import Conflict, InvalidInput

Run = Callable[..., Result]


@pytest.fixture
def person(book: Casebook) -> str:
    book.add_young_person("YJ-300", dt.date(2010, 3, 3), "north", known_as="Jo")
    return "YJ-300"


def _last(book: Casebook, action: str = "amend") -> model.AuditEvent:
    return [e for e in book.audit_trail() if e.action == action][-1]


def test_a_young_persons_details_are_corrected_with_old_and_new(
    book: Casebook, person: str
) -> None:
    with pytest.raises(InvalidInput, match="needs a reason"):
        book.amend_young_person(person, reason=" ", date_of_birth=dt.date(2010, 3, 4))
    with pytest.raises(InvalidInput, match="cannot be corrected here"):
        book.amend_young_person(person, reason="r", team="iss")
    with pytest.raises(InvalidInput, match="first name or initials"):
        book.amend_young_person(person, reason="r", known_as="Jo Smith")
    with pytest.raises(InvalidInput, match="Nothing to correct"):
        book.amend_young_person(person, reason="r", known_as="Jo")
    assert book.young_person(person).known_as == "Jo"  # nothing half-written
    version = book.record_version("young_person", person)
    after = book.amend_young_person(
        person,
        reason="typed from the wrong form",
        date_of_birth=dt.date(2010, 4, 3),
        known_as="Jay",
        gender="female",
        expected_version=version,
    )
    assert after.date_of_birth == dt.date(2010, 4, 3) and after.known_as == "Jay"
    assert book.young_person(person) == after
    event = _last(book)
    assert (event.record_type, event.record_id) == ("young_person", person)
    assert event.detail == (
        'reason: typed from the wrong form; date_of_birth: "2010-03-03" -> "2010-04-03"; '
        'gender: "not stated" -> "female"; known_as: "Jo" -> "Jay"'
    )
    with pytest.raises(Conflict):
        book.amend_young_person(person, reason="r", known_as="Al", expected_version=version)


def test_an_offer_is_corrected_both_ways_and_still_keeps_the_rules(
    book: Casebook, person: str
) -> None:
    offer = book.offer_support(
        person, "protective-adult", stage="pre-court", offered_on=dt.date(2025, 1, 6)
    )
    book.start_support(offer.id, on=dt.date(2025, 1, 20))
    book.record_contact(offer.id, count=3)
    with pytest.raises(InvalidInput, match="before the offer was made"):
        book.amend_offer(offer.id, reason="r", started_on=dt.date(2025, 1, 1))
    with pytest.raises(InvalidInput, match="declined cannot have started"):
        book.amend_offer(offer.id, reason="r", response="declined")
    fixed = book.amend_offer(
        offer.id, reason="contacts counted twice", contacts=1, clear=("started_on",)
    )
    assert fixed.contacts == 1 and fixed.started_on is None
    detail = _last(book).detail
    assert detail.startswith(f"{person}; reason: contacts counted twice; ")
    assert "contacts: 3 -> 1" in detail and 'started_on: "2025-01-20" -> null' in detail
    session = book.record_session(
        person,
        "who-kept-me-safe",
        [model.MatrixEntry("Nan", "safe", "let me stay")],
        held_on=dt.date(2025, 2, 3),
        offer_id=offer.id,
    )
    with pytest.raises(InvalidInput, match="cannot be after it"):
        book.amend_offer(
            offer.id, reason="r", offered_on=dt.date(2025, 2, 10), clear=("started_on",)
        )
    with pytest.raises(InvalidInput, match="cannot be declined"):
        book.amend_offer(
            offer.id, reason="r", response="declined", contacts=0, clear=("started_on",)
        )
    moved = book.amend_session(session.id, reason="wrong day", held_on=dt.date(2025, 2, 4))
    assert moved.held_on == dt.date(2025, 2, 4)
    assert _last(book).detail.endswith('held_on: "2025-02-03" -> "2025-02-04"')
    with pytest.raises(InvalidInput, match="before offer"):
        book.amend_session(session.id, reason="r", held_on=dt.date(2025, 1, 2))
    with pytest.raises(InvalidInput, match="HTML"):
        book.amend_session(session.id, reason="r", reflection="<script>x</script>")


def test_a_note_keeps_its_old_words_in_the_audit(book: Casebook, person: str) -> None:
    note = book.add_note(person, "Met at school.", written_on=dt.date(2025, 5, 1))
    with pytest.raises(InvalidInput, match="cannot be empty"):
        book.amend_note(note.id, reason="r", text="   ")
    with pytest.raises(InvalidInput, match="corrected text or date"):
        book.amend_note(note.id, reason="r")
    fixed = book.amend_note(note.id, reason="wrong place", text="Met at the youth club.")
    assert fixed.text == "Met at the youth club." and fixed.written_on == note.written_on
    assert book.notes(person) == [fixed]
    event = _last(book)
    assert (event.record_type, event.record_id) == ("case_note", str(note.id))
    text_part = event.detail.split("text: ", 1)[1]
    old, new = (json.loads(part) for part in text_part.split(" -> "))
    assert (old, new) == ("Met at school.", "Met at the youth club.")


def test_corrections_and_erasure_from_the_cli(sqlite_url: str) -> None:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli, ["--db", sqlite_url, *args], catch_exceptions=False)

    assert run("young-person", "add", "YJ-8", "--dob", "2010-02-02", "--team", "north",
               "--known-as", "Kit").exit_code == 0  # fmt: skip
    no_reason = run("young-person", "amend", "YJ-8", "--dob", "2010-02-03")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    done = run("young-person", "amend", "YJ-8", "--dob", "2010-02-03", "--reason", "typo")
    assert done.exit_code == 0, done.output
    shown = json.loads(run("young-person", "show", "YJ-8", "--json").output)
    assert shown["person"]["date_of_birth"] == "2010-02-03"
    offer = json.loads(
        run("support", "offer", "YJ-8", "--service", "protective-adult", "--stage",
            "pre-court", "--json").output
    )  # fmt: skip
    amended = run("support", "amend", str(offer["id"]), "--stage", "post-court", "--reason", "x")
    assert amended.exit_code == 0, amended.output
    unconfirmed = run("young-person", "erase", "YJ-8", "--reason", "added by mistake")
    assert unconfirmed.exit_code == 2 and "--confirm" in unconfirmed.output
    assert run("young-person", "show", "YJ-8").exit_code == 0  # still there
    erased = run("young-person", "erase", "yj-8", "--reason", "added by mistake", "--confirm")
    assert erased.exit_code == 0 and "Erased YJ-8 and 1 records attached." in erased.output
    gone = run("young-person", "show", "YJ-8")
    assert gone.exit_code == 2 and "No young person" in gone.output
    review = run("retention", "review", "--json")
    assert review.exit_code == 0 and json.loads(review.output) == []
