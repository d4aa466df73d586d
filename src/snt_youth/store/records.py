"""Turning rows into records and records into stored values."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from sqlalchemy import Row

from snt_youth import model

#: The young_people columns a record fills (all but the id and the creation time).
YOUNG_PERSON_COLUMNS = (
    "case_ref",
    "known_as",
    "date_of_birth",
    "gender",
    "ethnicity",
    "team",
    "language",
    "officer",
)


def young_person_record(row: Row[Any] | Mapping[str, Any]) -> model.YoungPerson:
    """A young person from their row."""
    m = row._mapping if isinstance(row, Row) else row
    return model.YoungPerson(
        case_ref=m["case_ref"],
        known_as=m["known_as"],
        date_of_birth=m["date_of_birth"],
        gender=model.Gender(m["gender"]),
        ethnicity=model.Ethnicity(m["ethnicity"]),
        team=m["team"],
        language=model.Language(m["language"]),
        officer=m["officer"],
    )


def new_id(result: Any) -> int:
    """The id the database gave the row just inserted."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def to_db(value: Any) -> Any:
    """Enum members are stored as their values."""
    if isinstance(value, Enum):
        return value.value
    return value
