"""Looking for a young person's identifiers anywhere in a database, column by column.

Written for the tests on their own (not shared with the product's scrubbing), so a
gap in the product's idea of "what names a child" is not copied into the check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import attrs
from sqlalchemy import MetaData, select
from tests.support import sqlite as raw_sqlite


@attrs.frozen
class Child:
    case_ref: str
    known_as: str | None
    date_of_birth: dt.date


def dob_forms(day: dt.date) -> list[str]:
    """A date of birth in every spelling a person or a program might use."""
    d, m, y = day.day, day.month, day.year
    months = (day.strftime("%B"), day.strftime("%b"))
    forms = [
        day.isoformat(),
        f"{y}/{m:02d}/{d:02d}",
        f"{y}{m:02d}{d:02d}",
        f"{d:02d}/{m:02d}/{y}",
        f"{d}/{m}/{y}",
        f"{d:02d}-{m:02d}-{y}",
        f"{d:02d}.{m:02d}.{y}",
        f"{m:02d}/{d:02d}/{y}",
    ]
    for month in months:
        forms += [f"{d} {month} {y}", f"{d:02d} {month} {y}", f"{month} {d}, {y}"]
    return [f.lower() for f in forms]


def table_names(url: str) -> set[str]:
    engine = raw_sqlite.engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        return set(meta.tables)
    finally:
        engine.dispose()


def every_value(url: str) -> Iterable[tuple[str, str, object]]:
    """(table, column, value) for every non-null value of every table in the database."""
    engine = raw_sqlite.engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(select(table)):
                    for column, value in row._mapping.items():
                        if value is not None:
                            yield table.name, str(column), value
    finally:
        engine.dispose()


def places_naming(url: str, children: Iterable[Child]) -> list[str]:
    """Every table.column where any of ``children`` is named (reference, known-as, DOB)."""
    kids = list(children)
    found: set[str] = set()
    tables = table_names(url)
    for table, column, value in every_value(url):
        where = f"{table}.{column}"
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            if any(value == k.date_of_birth for k in kids):
                found.add(f"{where} (a date of birth)")
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        low = text.lower()
        for k in kids:
            if k.case_ref.lower() in low:
                found.add(f"{where} ({k.case_ref})")
            if k.known_as and re.search(
                rf"(?<![a-z0-9]){re.escape(k.known_as.lower())}(?![a-z0-9])", low
            ):
                found.add(f"{where} (known as {k.known_as})")
            if any(form in low for form in dob_forms(k.date_of_birth)):
                found.add(f"{where} (date of birth of {k.case_ref})")
    assert "young_people" in tables and "audit_events" in tables, "the scan reached no tables"
    return sorted(found)
