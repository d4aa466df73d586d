"""The rules that must never be broken are the database's own, on both engines.

Written past the Casebook, straight into the tables, a second draft, a second case
reference in another case, a code outside its list or a negative count is refused by
the database itself.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from snt_youth.store import Store

PERSON = (
    "INSERT INTO young_people (id, case_ref, case_key, date_of_birth, gender, ethnicity, team, "
    "language, created_at) VALUES ({id}, '{ref}', '{key}', '2010-05-01', '{gender}', 'White', "
    "'north', 'en', '2026-01-01 09:00:00')"
)
SCREENING = (
    "INSERT INTO screenings (id, young_person_id, stage, screened_on, officer, instrument_id, "
    "instrument_version, status, judgements) VALUES ({id}, 1, 'pre-court', '2026-02-01', 'o', "
    "'i', '1', '{status}', '[]')"
)
OFFER = (
    "INSERT INTO support_offers (id, young_person_id, stage, offered_on, kind, service, "
    "response, contacts) VALUES (1, 1, 'pre-court', '2026-02-03', 'external', 's', "
    "'{response}', {contacts})"
)


def _refused(store: Store, *statements: str) -> bool:
    try:
        with store.engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    ("statements", "refused"),
    [
        ([SCREENING.format(id=1, status="draft"), SCREENING.format(id=2, status="draft")], True),
        ([SCREENING.format(id=1, status="draft"), SCREENING.format(id=2, status="done")], True),
        ([SCREENING.format(id=1, status="draft"), SCREENING.format(id=2, status="complete")],
         False),
        ([SCREENING.format(id=1, status="complete"), SCREENING.format(id=2, status="complete")],
         False),
        ([SCREENING.format(id=1, status="finished")], True),
        ([PERSON.format(id=2, ref="yj-1", key="yj-1", gender="male")], True),
        ([PERSON.format(id=2, ref="YJ-2", key="yj-2", gender="robot")], True),
        ([OFFER.format(response="maybe", contacts=0)], True),
        ([OFFER.format(response="accepted", contacts=-1)], True),
        ([OFFER.format(response="accepted", contacts=3)], False),
    ],
)  # fmt: skip
def test_the_database_refuses_what_must_never_be_stored(
    db_url: str, statements: list[str], refused: bool
) -> None:
    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(text(PERSON.format(id=1, ref="YJ-1", key="yj-1", gender="male")))
    assert _refused(store, *statements) is refused
    store.close()
