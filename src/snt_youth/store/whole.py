"""Whole-database operations: counts, dump and load for backups, quarterly figures."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, select, text

from snt_youth.store.base import TxBase
from snt_youth.store.schema import (
    audit_events,
    case_notes,
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

    def load(self, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
        """Insert rows table by table, in dependency order, for a restore.

        Rows come from ``portable.from_portable`` for this dialect: every column present.
        """
        from snt_youth.store.schema import ALL_TABLES

        for table in ALL_TABLES:
            rows = list(tables.get(table.name, ()))
            if rows and table is audit_events:
                # Events already here (e.g. an export of this empty database) keep their ids.
                offset = self.max_id("audit_events")
                rows = [{**r, "id": r["id"] + offset} for r in rows] if offset else rows
            if rows:
                self._insert_many(table, rows)
        self._reset_sequences()

    def _insert_many(self, table: Any, rows: list[Mapping[str, Any]]) -> None:
        """Insert rows that hold every column. On SQLite the values are already in storage
        form (see ``portable.from_portable``) and go straight to the driver."""
        if self.conn.dialect.name != "sqlite":
            self.conn.execute(insert(table), rows)
            return
        names = [c.name for c in table.columns]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        values = operator.itemgetter(*names)
        self.conn.exec_driver_sql(sql, [values(r) for r in rows])

    def _reset_sequences(self) -> None:
        """After inserting explicit ids on PostgreSQL, move the id sequences past them."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in (young_people, screenings, support_offers, sessions, case_notes, audit_events):
            self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )

    def dump_portable(self) -> dict[str, list[dict[str, Any]]]:
        from snt_youth.store.portable import to_portable

        return to_portable(self.dump())

    def load_portable(self, tables: Any, source: str) -> None:
        from snt_youth.store.portable import from_portable

        self.load(from_portable(tables, source, sqlite=self.conn.dialect.name == "sqlite"))

    def max_id(self, table_name: str) -> int:
        from snt_youth.store.schema import metadata

        table = metadata.tables[table_name]
        return int(self.conn.execute(select(func.max(table.c.id))).scalar() or 0)
