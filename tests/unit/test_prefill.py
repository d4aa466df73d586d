"""The worksheet prefill rule: the latest session with the worksheet's matrix, or nothing."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from snt_youth.model import MatrixEntry, Session
from snt_youth.protect.prefill import session_to_prefill

MATRIX = "who-kept-me-safe"


def session(id: int, held_on: dt.date, matrix_id: str = MATRIX, person: str = "Mum") -> Session:
    return Session(
        id=id,
        case_ref="YJ-1",
        held_on=held_on,
        facilitator="a.champion",
        matrix_id=matrix_id,
        matrix_version="1",
        entries=(MatrixEntry(person, "safe", "She walked me to school"),),
    )


MAY = dt.date(2026, 5, 1)
JUNE = dt.date(2026, 6, 1)


def test_no_sessions_means_a_plain_worksheet() -> None:
    assert session_to_prefill([], MATRIX) is None


def test_a_worksheet_without_a_matrix_is_never_prefilled() -> None:
    assert session_to_prefill([session(1, MAY)], None) is None


def test_sessions_with_another_matrix_are_never_used() -> None:
    other = session(9, JUNE, matrix_id="people-around-me")
    assert session_to_prefill([other], MATRIX) is None
    mine = session(1, MAY)
    assert session_to_prefill([other, mine], MATRIX) is mine


def test_the_latest_session_is_used_whatever_the_order() -> None:
    old, new = session(5, MAY, person="Gran"), session(2, JUNE, person="Mum")
    for order in itertools.permutations([old, new, session(7, JUNE, matrix_id="other")]):
        assert session_to_prefill(order, MATRIX) is new


@pytest.mark.parametrize("first_recorded", [3, 4])
def test_two_on_one_day_go_to_the_one_recorded_last(first_recorded: int) -> None:
    earlier = session(first_recorded, JUNE, person="Gran")
    later = session(first_recorded + 10, JUNE, person="Mum")
    assert session_to_prefill([later, earlier], MATRIX) is later
    assert session_to_prefill(iter([earlier, later]), MATRIX) is later


def test_worksheets_say_which_matrix_prefills_them() -> None:
    from snt_youth.printing import worksheets

    matrix_sheet = worksheets.find_worksheet(f"matrix:{MATRIX}")
    assert matrix_sheet.prefill_matrix_id == MATRIX
    assert worksheets.find_worksheet("safety-plan").prefill_matrix_id is None
    # The old name still works for scripts, and gives the same answer as the rule.
    sessions = [session(1, MAY), session(2, JUNE)]
    assert worksheets.last_session(sessions, MATRIX) is session_to_prefill(sessions, MATRIX)
