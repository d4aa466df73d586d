"""Quarter arithmetic and notation, including financial years that cross a calendar year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snt_youth.errors import InvalidInput
from snt_youth.tracking.quarters import Quarter, containing, last_complete, parse

dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2998, 12, 31))
kinds = st.booleans()
quarters = st.builds(Quarter, st.integers(1901, 2997), st.integers(1, 4), kinds)


@given(dates, kinds)
def test_every_date_lies_in_exactly_one_quarter(day: dt.date, calendar: bool) -> None:
    q = containing(day, calendar)
    assert q.start <= day <= q.end
    assert day in q
    assert day not in q.next() and day not in q.previous()


@given(quarters)
def test_next_and_previous_undo_each_other(q: Quarter) -> None:
    assert q.next().previous() == q
    assert q.previous().next() == q


@given(quarters)
def test_quarters_tile_time(q: Quarter) -> None:
    assert q.next().start == q.end + dt.timedelta(days=1)
    assert q.start < q.end
    assert 90 <= (q.end - q.start).days + 1 <= 92
    assert q < q.next() and q.previous() < q


@given(quarters)
def test_text_round_trips_in_any_case(q: Quarter) -> None:
    assert parse(str(q), calendar=q.calendar) == q
    assert parse(str(q).lower(), calendar=q.calendar) == q
    assert parse(f"  {str(q).upper()} ", calendar=q.calendar) == q


@given(dates, kinds)
def test_last_complete_has_ended_and_is_the_latest(today: dt.date, calendar: bool) -> None:
    q = last_complete(today, calendar)
    assert q.end < today
    assert q.next().end >= today


@given(dates, dates)
def test_quarters_sort_by_start_date_across_kinds(a: dt.date, b: dt.date) -> None:
    qa, qb = containing(a, False), containing(b, True)
    assert (qa < qb) == ((qa.start, False) < (qb.start, True))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 3, 31), "2024-25 Q4"),
        (dt.date(2025, 4, 1), "2025-26 Q1"),
        (dt.date(2025, 6, 30), "2025-26 Q1"),
        (dt.date(2025, 12, 31), "2025-26 Q3"),
        (dt.date(2026, 1, 1), "2025-26 Q4"),
        (dt.date(1999, 12, 31), "1999-00 Q3"),
        (dt.date(2000, 1, 1), "1999-00 Q4"),
    ],
)
def test_financial_year_boundaries(day: dt.date, expected: str) -> None:
    assert str(containing(day)) == expected


def test_financial_quarter_four_is_in_the_next_calendar_year() -> None:
    q = parse("2025-26 Q4")
    assert (q.start, q.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q.next() == parse("2026-27 Q1")
    assert q.months == "January to March 2026"


@pytest.mark.parametrize(
    "text",
    ["2025-26 Q1", "2025/26 q1", "FY2025-26 Q1", "fy 2025-2026 q1", "Q1 2025-26", "2025-26Q1"],
)
def test_financial_forms(text: str) -> None:
    assert parse(text) == Quarter(2025, 1)


@pytest.mark.parametrize("text", ["2025 Q3", "q3 2025", "2025Q3", "2025-Q3"])
def test_calendar_forms(text: str) -> None:
    q = parse(text, calendar=True)
    assert q == Quarter(2025, 3, calendar=True)
    assert (q.start, q.end) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))


def test_1999_00_crosses_the_century() -> None:
    assert parse("1999-00 Q4").start == dt.date(2000, 1, 1)
    assert str(Quarter(1999, 1)) == "1999-00 Q1"


@pytest.mark.parametrize(
    ("text", "calendar", "hint"),
    [
        ("2025 Q1", False, "looks like a calendar quarter"),
        ("2025-27 Q1", False, "after 2025 comes 26"),
        ("2025-26 Q5", False, "no quarter 5"),
        ("2025-26 Q0", False, "no quarter 0"),
        ("last quarter", False, "not recognised"),
        ("", False, "not recognised"),
        ("2025-26 Q1", True, "financial-year quarter"),
        ("2025 Q9", True, "no quarter 9"),
    ],
)
def test_bad_quarters_say_what_to_write(text: str, calendar: bool, hint: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(text, calendar=calendar)
    message = str(caught.value)
    assert hint in message
    assert ("2025 Q1" in message) if calendar else ("2025-26 Q1" in message)


def test_bad_values_cannot_be_constructed() -> None:
    with pytest.raises(ValueError):
        Quarter(2025, 5)


@pytest.mark.parametrize(("text", "calendar"), [("2026 Q5", False), ("2025-26 Q0", True)])
def test_a_quarter_number_that_does_not_exist_is_named_first(text: str, calendar: bool) -> None:
    with pytest.raises(InvalidInput) as caught:
        Quarter.parse(text, calendar)
    assert "there is no quarter" in str(caught.value)
    assert "looks like" not in str(caught.value) and "that is a" not in str(caught.value)


def test_digits_from_other_scripts_are_not_quarter_numbers() -> None:
    with pytest.raises(InvalidInput, match="not recognised"):
        Quarter.parse("2025 Q\u0661", calendar=True)
