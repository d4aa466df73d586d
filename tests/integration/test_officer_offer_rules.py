"""Offer rules: a contact is a yes, and an offer links only to a completed screening."""

from __future__ import annotations

import datetime as dt

import pytest

from snt_youth import model
from snt_youth.casebook import Casebook
from snt_youth.errors import InvalidInput


@pytest.fixture
def person(book: Casebook) -> str:
    book.add_young_person("YJ-501", dt.date(2010, 3, 3), "north", known_as="Jo")
    return "YJ-501"


def test_a_contact_on_an_undecided_offer_marks_it_accepted(book: Casebook, person: str) -> None:
    offer = book.offer_support(person, "young-people-idva", stage="pre-court")
    assert offer.response is model.OfferResponse.NO_RESPONSE
    after = book.record_contact(offer.id)
    assert after.response is model.OfferResponse.ACCEPTED
    assert after.contacts == 1
    # Through update_offer too; a declined offer still refuses contacts.
    other = book.offer_support(person, "young-people-idva", stage="pre-court")
    assert book.update_offer(other.id, add_contacts=2).response is model.OfferResponse.ACCEPTED
    declined = book.offer_support(person, "young-people-idva", stage="pre-court")
    book.decline_offer(declined.id)
    with pytest.raises(InvalidInput, match="declined"):
        book.record_contact(declined.id)
    assert book.offer(declined.id).response is model.OfferResponse.DECLINED


def test_an_offer_links_only_to_a_completed_screening(book: Casebook, person: str) -> None:
    draft = book.start_screening(person, "pre-court")
    with pytest.raises(InvalidInput, match="still a draft"):
        book.offer_support(person, "young-people-idva", screening_id=draft.id)
    assert book.offers(person) == []
    items = book.instrument().items
    answers = {i.id: "no" for i in items if i.condition is None}
    answers["safe-place"] = "yes"
    done = book.record_screening(person, "post-court", answers)
    offer = book.offer_support(person, "young-people-idva", screening_id=done.screening.id)
    assert offer.screening_id == done.screening.id
    assert offer.stage is model.Stage.POST_COURT
