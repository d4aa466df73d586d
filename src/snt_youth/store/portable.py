"""Rows as portable JSON values and back, checked against the schema.

Used by the full backup: dates and times become ISO strings, and on the way back
every table and column is checked so a file from another product, or a damaged one,
is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer

from snt_youth.errors import FormatError
from snt_youth.store.schema import ALL_TABLES


def to_portable(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        out[name] = [
            {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
            for row in rows
        ]
    return out


def from_portable(tables: Any, source: str) -> dict[str, list[dict[str, Any]]]:
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
        columns = {c.name: c for c in table.columns}
        converted = []
        for i, row in enumerate(rows):
            where = f"{source}: {name}[{i}]"
            if not isinstance(row, dict):
                raise FormatError(f"{where} is not an object.")
            extra = set(row) - set(columns)
            if extra:
                raise FormatError(f"{where} has unknown column(s) {', '.join(sorted(extra))}.")
            new: dict[str, Any] = {}
            for col_name, column in columns.items():
                value = row.get(col_name)
                if value is None:
                    if not column.nullable and column.default is None:
                        raise FormatError(f"{where} is missing {col_name}.")
                    if value is None and col_name not in row:
                        continue
                    new[col_name] = None
                    continue
                new[col_name] = _convert(value, column.type, f"{where}.{col_name}")
            converted.append(new)
        out[name] = converted
    return out


def _convert(value: Any, kind: Any, where: str) -> Any:
    try:
        if isinstance(kind, DateTime):
            return dt.datetime.fromisoformat(value)
        if isinstance(kind, Date):
            return dt.date.fromisoformat(value)
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise TypeError("expected true or false")
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("expected a whole number")
            return value
        if not isinstance(value, str):
            raise TypeError("expected text")
        return value
    except (TypeError, ValueError) as exc:
        raise FormatError(f"{where}: {exc}.") from None
