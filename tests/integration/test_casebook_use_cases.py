"""The Casebook methods that took their rules out of the faces, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import snt_youth
from snt_youth import model
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.errors import InvalidInput

TODAY = dt.date.today()


@pytest.fixture
def book(db_url: str) -> Iterator[Casebook]:
    """A casebook whose "today" is this module's TODAY, so a run across midnight agrees."""
    with snt_youth.open(db_url, user="test.officer", clock=FixedClock(TODAY)) as opened:
        yield opened


@pytest.fixture
def kai(book: Casebook) -> str:
    book.add_young_person("YJ-1", dt.date(2009, 6, 1), "north", known_as="Kai")
    return "YJ-1"


def last_action(book: Casebook) -> tuple[str, str, str]:
    event = book.audit_trail()[-1]
    return event.action, event.record_type, event.detail


# -- screening ------------------------------------------------------------------------
def test_next_question_follows_the_stored_answers(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    items = book.instrument().items
    first = book.next_question(draft.id)
    assert first is not None and first.id == items[0].id
    book.answer(draft.id, items[0].id, "no")
    second = book.next_question(draft.id)
    assert second is not None and second.id == items[1].id
    skipped = book.next_question(draft.id, after=items[0].id, skipped={items[1].id})
    assert skipped is not None and skipped.id == items[2].id
    while (item := book.next_question(draft.id)) is not None:
        book.answer(draft.id, item.id, "yes" if item.id == "safe-place" else "no")
    assert book.next_question(draft.id) is None
    assert book.assess(draft.id).missing == ()


def test_raisable_levels_are_those_above_the_judged_level(book: Casebook, kai: str) -> None:
    draft = book.start_screening(kai, "pre-court")
    before = book.raisable_levels(draft.id)
    assert set(before) == {"home", "relationship", "own_behaviour", "safety"}
    assert before["home"][-1] == model.HomeAbuse.ONGOING.value
    assert "ongoing" in before["home"] and "past" in before["home"]
    book.raise_level(draft.id, model.Judgement("home", "past", "Mum told me"))
    after = book.raisable_levels(draft.id)
    assert after["home"] == ("ongoing",)
    assert after["safety"] == before["safety"]
    book.raise_level(draft.id, model.Judgement("home", "ongoing", "It still happens"))
    assert book.raisable_levels(draft.id)["home"] == ()


# -- support offers ---------------------------------------------------------------------
def test_named_offer_transitions_are_each_audited(book: Casebook, kai: str) -> None:
    offer = book.offer_support(kai, "protective-adult", stage="pre-court")
    accepted = book.accept_offer(offer.id)
    assert accepted.response is model.OfferResponse.ACCEPTED
    assert last_action(book) == ("accept", "support_offer", "response")
    started = book.start_support(offer.id, on=TODAY)
    assert started.started_on == TODAY
    assert last_action(book)[0] == "start"
    counted = book.record_contact(offer.id, count=2)
    assert counted.contacts == 2
    assert last_action(book) == ("contact", "support_offer", "contacts")
    ended = book.end_support(offer.id, "completed")
    assert ended.end_reason is model.EndReason.COMPLETED and ended.ended_on == TODAY
    assert last_action(book) == ("end", "support_offer", "end_reason, ended_on")
    assert book.offer(offer.id) == ended


def test_decline_then_start_is_refused_by_the_offer_rules(book: Casebook, kai: str) -> None:
    offer = book.offer_support(kai, "protective-adult", stage="pre-court")
    declined = book.decline_offer(offer.id)
    assert declined.response is model.OfferResponse.DECLINED
    assert last_action(book)[0] == "decline"
    with pytest.raises(InvalidInput, match="declined cannot have started"):
        book.start_support(offer.id)
    with pytest.raises(InvalidInput, match="at least one contact"):
        book.record_contact(offer.id, count=0)
    assert book.offer(offer.id).started_on is None


def test_end_support_needs_a_known_reason(book: Casebook, kai: str) -> None:
    offer = book.offer_support(kai, "protective-adult", stage="pre-court")
    with pytest.raises(InvalidInput, match="End reason 'bored' is not one of"):
        book.end_support(offer.id, "bored")
    assert book.offer(offer.id).ended_on is None


def test_offers_open_for_a_session(book: Casebook, kai: str) -> None:
    week_ago = TODAY - dt.timedelta(days=7)
    early = book.offer_support(kai, "protective-adult", stage="pre-court", offered_on=week_ago)
    late = book.offer_support(kai, "safety-planning", stage="pre-court")
    declined = book.offer_support(kai, "protective-adult", stage="pre-court")
    book.decline_offer(declined.id)
    ended = book.offer_support(kai, "protective-adult", stage="pre-court", offered_on=week_ago)
    book.end_support(ended.id, "completed")
    assert [o.id for o in book.offers_open_for_session(kai)] == [early.id, late.id]
    yesterday = TODAY - dt.timedelta(days=1)
    assert [o.id for o in book.offers_open_for_session(kai, yesterday)] == [early.id]


# -- young people ---------------------------------------------------------------------
def test_ethnicity_short_names_are_accepted_by_the_casebook(book: Casebook) -> None:
    added = book.add_young_person("YJ-2", dt.date(2010, 1, 1), "north", ethnicity="Black")
    assert added.ethnicity is model.Ethnicity.BLACK
    changed = book.update_young_person("YJ-2", ethnicity="mixed")
    assert book.young_person("YJ-2").ethnicity is model.Ethnicity.MIXED == changed.ethnicity


def test_caseload_search_is_a_query(book: Casebook) -> None:
    book.add_young_person("YJ-10", dt.date(2010, 1, 1), "north", known_as="Kai")
    book.add_young_person("YJ-20", dt.date(2010, 1, 1), "south", known_as="Sam")
    book.add_young_person("AB-30", dt.date(2010, 1, 1), "north")
    assert [r.case_ref for r in book.caseload(search="yj")] == ["YJ-10", "YJ-20"]
    assert [r.case_ref for r in book.caseload(search="SAM")] == ["YJ-20"]
    assert [r.case_ref for r in book.caseload(search="yj", team="north")] == ["YJ-10"]
    assert [r.case_ref for r in book.caseload(search="  ")] == ["AB-30", "YJ-10", "YJ-20"]
    assert book.caseload(search="zz") == []


# -- worksheets -----------------------------------------------------------------------


def test_worksheet_prefill_is_the_latest_session_with_that_matrix(book: Casebook, kai: str) -> None:
    from snt_youth.protect import list_matrices

    matrix = next(m for m in list_matrices() if m.id == "who-kept-me-safe")
    entry = model.MatrixEntry(person="Mum", domain=matrix.columns[0].id, words="She hid me.")
    older = book.record_session(kai, matrix.id, [entry], held_on=TODAY - dt.timedelta(days=9))
    newer = book.record_session(kai, matrix.id, [entry], held_on=TODAY - dt.timedelta(days=2))
    assert older.id != newer.id
    chosen = book.worksheet_prefill(kai, matrix.id)
    assert chosen is not None and chosen.id == newer.id
    assert book.worksheet_prefill(kai, "who-helps-me-now") is None
    assert book.worksheet_prefill(kai, None) is None
