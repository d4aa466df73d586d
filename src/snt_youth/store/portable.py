"""Rows as portable JSON values and back, checked against the schema.

Used by the full backup: dates and times become ISO strings, and on the way back
every table and column is checked so a file from another product, or a damaged one,
is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Integer

from snt_youth.errors import FormatError
from snt_youth.store.schema import ALL_TABLES

#: Columns worked out from others when rows are stored, never taken from a file.
DERIVED: dict[str, tuple[str, ...]] = {"young_people": ("case_key",)}


def to_portable(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        out[name] = [
            {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
            for row in rows
        ]
    return out


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected a whole number")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _sqlite_datetime(value: Any) -> str:
    # The exact text SQLAlchemy's SQLite dialect stores, so reads and comparisons agree.
    text = str(dt.datetime.fromisoformat(value))
    return text if len(text) > 19 else f"{text}.000000"


def _sqlite_date(value: Any) -> str:
    return dt.date.fromisoformat(value).isoformat()


def _sqlite_boolean(value: Any) -> int:
    return int(_boolean(value))


def _converter(column: Column[Any], sqlite: bool) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, DateTime):
        return _sqlite_datetime if sqlite else dt.datetime.fromisoformat
    if isinstance(kind, Date):
        return _sqlite_date if sqlite else dt.date.fromisoformat
    if isinstance(kind, Boolean):
        return _sqlite_boolean if sqlite else _boolean
    if isinstance(kind, Integer):
        return _integer
    return _text


def from_portable(
    tables: Any, source: str, *, sqlite: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """Rows with every table, column and value checked against the schema.

    Every column is present in every row (defaults filled in). Values are Python
    objects, or with ``sqlite`` the text SQLAlchemy's SQLite dialect stores, ready for
    the driver.
    """
    if not isinstance(tables, dict):
        raise FormatError(f"{source}: 'tables' must be an object of table name to rows.")
    known = {t.name: t for t in ALL_TABLES}
    unknown = set(tables) - set(known)
    if unknown:
        raise FormatError(f"{source}: unknown table(s) {', '.join(sorted(unknown))}.")
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in known.items():
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            raise FormatError(f"{source}: table {name} must be a list of rows.")
        specs = [
            (
                c.name,
                _converter(c, sqlite),
                not c.nullable and c.default is None,
                getattr(c.default, "arg", None),
            )
            for c in table.columns
            if c.name not in DERIVED.get(name, ())
        ]
        allowed = {c.name for c in table.columns}  # case_key is allowed, and ignored
        converted = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                raise FormatError(f"{source}: {name}[{i}] is not an object.")
            if not row.keys() <= allowed:
                extra = ", ".join(sorted(set(row) - allowed))
                raise FormatError(f"{source}: {name}[{i}] has unknown column(s) {extra}.")
            new: dict[str, Any] = {}
            for col_name, convert, required, default in specs:
                value = row.get(col_name)
                if value is None:
                    if required:
                        raise FormatError(f"{source}: {name}[{i}] is missing {col_name}.")
                    new[col_name] = default
                    continue
                try:
                    new[col_name] = convert(value)
                except (TypeError, ValueError) as exc:
                    raise FormatError(f"{source}: {name}[{i}].{col_name}: {exc}.") from None
            for derived in DERIVED.get(name, ()):
                new[derived] = None  # worked out again when the rows are stored
            converted.append(new)
        out[name] = converted
    return out


def _storage(column: Column[Any]) -> Callable[[Any], Any] | None:
    kind = column.type
    if isinstance(kind, DateTime):
        return _datetime_text
    if isinstance(kind, Date):
        return dt.date.isoformat
    if isinstance(kind, Boolean):
        return int
    return None


def _datetime_text(value: dt.datetime) -> str:
    # The exact text SQLAlchemy's SQLite dialect stores, so reads and comparisons agree.
    return value.isoformat(" ", "microseconds")


def sqlite_tuples(table: Any, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows of Python values as tuples in the column order of ``table``, in the text
    SQLAlchemy's SQLite dialect stores (dates and times as ISO text, booleans 0 or 1)."""
    getters: list[Callable[[dict[str, Any]], Any]] = []
    for column in table.columns:
        convert = _storage(column)
        name = column.name
        if convert is None:
            getters.append(operator.itemgetter(name))
        else:
            getters.append(_converting(name, convert))
    if all(isinstance(g, operator.itemgetter) for g in getters):
        whole = operator.itemgetter(*[c.name for c in table.columns])
        return [whole(r) for r in rows]
    return [tuple([get(r) for get in getters]) for r in rows]


def _converting(name: str, convert: Callable[[Any], Any]) -> Callable[[dict[str, Any]], Any]:
    cache: dict[Any, Any] = {}  # dates repeat a great deal across a service's rows

    def get(row: dict[str, Any]) -> Any:
        value = row[name]
        if value is None:
            return None
        found = cache.get(value)
        if found is None:
            found = cache[value] = convert(value)
        return found

    return get
