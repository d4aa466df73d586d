"""An injected clock decides what "today" is for every use case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import snt_youth
from snt_youth.casebook import Casebook, FixedClock, SystemClock
from snt_youth.errors import InvalidInput

DAY = dt.date(2020, 5, 1)


@pytest.fixture
def book_in_2020(db_url: str) -> Iterator[Casebook]:
    with snt_youth.open(db_url, user="test.officer", clock=FixedClock(DAY)) as opened:
        yield opened


def test_fixed_clock_sets_today_for_dates_ages_and_audit(book_in_2020: Casebook) -> None:
    book = book_in_2020
    person = book.add_young_person("YJ-1", dt.date(2006, 1, 1), "north")
    assert book.timeline(person.case_ref).age == 14
    assert book.caseload()[0].age == 14
    note = book.add_note("YJ-1", "Met at school.")
    assert note.written_on == DAY
    with pytest.raises(InvalidInput, match="2020-05-02 is in the future"):
        book.add_note("YJ-1", "Tomorrow.", written_on=DAY + dt.timedelta(days=1))
    assert {e.at.date() for e in book.audit_trail()} == {DAY}


def test_fixed_clock_is_used_by_support_and_reports(book_in_2020: Casebook) -> None:
    book = book_in_2020
    book.add_young_person("YJ-1", dt.date(2006, 1, 1), "north")
    offer = book.offer_support("YJ-1", "protective-adult", stage="pre-court")
    assert offer.offered_on == DAY
    assert book.start_support(offer.id).started_on == DAY
    assert book.end_support(offer.id, "completed").ended_on == DAY
    assert str(book.quarterly_report().quarter) == "2019-20 Q4"
    with pytest.raises(InvalidInput, match="in the future"):
        book.quarterly_report(report_date=DAY + dt.timedelta(days=1))


def test_the_default_clock_is_the_system_clock(book: Casebook) -> None:
    assert isinstance(book.clock, SystemClock)
    assert book.clock.today() == dt.date.today()
    assert FixedClock(DAY).now() == dt.datetime(2020, 5, 1, 9, 0)
