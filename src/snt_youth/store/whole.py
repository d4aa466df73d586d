"""Whole-database operations: counts, dump and load for backups, quarterly figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, select, text

from snt_youth.store.base import TxBase
from snt_youth.store.schema import (
    audit_events,
    case_notes,
    imported_audit_events,
    screenings,
    sessions,
    support_offers,
    young_people,
)
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import CountRow


class WholeDatabaseTx(TxBase):
    """Operations over every table at once, and the quarterly aggregation."""

    # -- quarterly figures -----------------------------------------------------------------
    def report_counts(
        self, quarter: Quarter, report_date: dt.date, *, team: str | None, trend_quarters: int
    ) -> list[CountRow]:
        from snt_youth.store import funnel

        return funnel.report_counts(
            self.conn, quarter, report_date, team=team, trend_quarters=trend_quarters
        )

    def quarters_with_data(self, *, calendar: bool) -> list[Quarter]:
        from snt_youth.store import funnel

        return funnel.quarters_with_data(self.conn, calendar=calendar)

    # -- whole-database operations ------------------------------------------------------
    def is_empty(self) -> bool:
        return self.conn.execute(select(func.count()).select_from(young_people)).scalar() == 0

    def counts(self) -> dict[str, int]:
        tables = (young_people, screenings, support_offers, sessions, case_notes, audit_events)
        return {
            t.name: int(self.conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in tables
        }

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, for a full backup."""
        from snt_youth.store.schema import ALL_TABLES

        out: dict[str, list[dict[str, Any]]] = {}
        for table in ALL_TABLES:
            order = list(table.primary_key.columns)
            out[table.name] = [
                dict(r._mapping) for r in self.conn.execute(select(table).order_by(*order))
            ]
        return out

    def load(
        self,
        tables: Mapping[str, Iterable[Mapping[str, Any]]],
        *,
        imported_at: dt.datetime,
        imported_from: str,
    ) -> int:
        """Insert checked rows table by table, in dependency order, for a restore.

        Rows come from :meth:`read_portable` (every column present, Python values),
        checked by the Casebook. The backup's audit history goes into
        ``imported_audit_events``, marked with where it came from, and never into this
        database's own trail. Returns how many audit events were kept that way.
        """
        from snt_youth.store.schema import ALL_TABLES, case_key

        kept = 0
        for table in ALL_TABLES:
            if table is audit_events:
                continue  # kept as imported, below
            rows: list[dict[str, Any]] = list(tables.get(table.name, ()))  # type: ignore[arg-type]
            if table is young_people:
                rows = [{**r, "case_key": case_key(r["case_ref"])} for r in rows]
            if table is imported_audit_events:
                rows = self._imported(tables, rows, imported_at, imported_from)
                kept = len(rows)
            if rows:
                self._insert_many(table, rows)
        self._reset_sequences()
        return kept

    def _imported(
        self,
        tables: Mapping[str, Iterable[Mapping[str, Any]]],
        earlier: list[dict[str, Any]],
        imported_at: dt.datetime,
        imported_from: str,
    ) -> list[dict[str, Any]]:
        """The backup's events (and any it had imported itself) as imported rows, with
        new ids after those already here; each keeps its original id."""
        offset = self.max_id("imported_audit_events")
        rows: list[dict[str, Any]] = [dict(r) for r in earlier]
        for event in tables.get("audit_events", ()):
            row = dict(event)
            row["original_id"] = row["id"]
            row["imported_at"] = imported_at
            row["imported_from"] = imported_from
            rows.append(row)
        for number, row in enumerate(rows, start=offset + 1):
            row["id"] = number
        return rows

    def _insert_many(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """Insert rows of Python values that hold every column. On SQLite they are put
        in storage form (``portable.sqlite_tuples``) and go straight to the driver."""
        from snt_youth.store.portable import sqlite_tuples

        if self.conn.dialect.name != "sqlite":
            self.conn.execute(insert(table), rows)
            return
        names = [c.name for c in table.columns]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        self.conn.exec_driver_sql(sql, sqlite_tuples(table, rows))

    def _reset_sequences(self) -> None:
        """After inserting explicit ids on PostgreSQL, move the id sequences past them."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in (
            young_people,
            screenings,
            support_offers,
            sessions,
            case_notes,
            audit_events,
            imported_audit_events,
        ):
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )

    def dump_portable(self) -> dict[str, list[dict[str, Any]]]:
        from snt_youth.store.portable import to_portable

        return to_portable(self.dump())

    def read_portable(self, tables: Any, source: str) -> dict[str, list[dict[str, Any]]]:
        """A backup's tables as rows of Python values, every table, column and value
        checked against the schema (FormatError names the first problem)."""
        from snt_youth.store.portable import from_portable

        return from_portable(tables, source)

    def max_id(self, table_name: str) -> int:
        from snt_youth.store.schema import metadata

        table = metadata.tables[table_name]
        return int(self.conn.execute(select(func.max(table.c.id))).scalar() or 0)
