"""What every family of store operations shares: the connection, person lookup, row
locks and version checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Table, desc, select, update

from snt_youth.errors import InvalidInput, NotFound
from snt_youth.store.schema import audit_events, case_key, young_people


class TxBase:
    """One connection, inside one transaction (or one read)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def person_id(self, case_ref: str) -> int:
        """The row id of the young person with ``case_ref`` (any case, spaces around
        ignored); NotFound names the fix."""
        found = self.conn.execute(
            select(young_people.c.id).where(young_people.c.case_key == case_key(case_ref))
        ).scalar()
        if found is None:
            raise NotFound(
                f"No young person with case reference {case_ref!r}. "
                "Check the reference, or list the caseload with 'snt-youth young-person list'."
            )
        return int(found)

    def lock_row(self, table: Table, row_id: int) -> int | None:
        """Lock one row until the transaction ends and return its version (None: no row).

        PostgreSQL takes a row lock (SELECT ... FOR NO KEY UPDATE), so a second writer
        waits and then reads what the first one wrote; rows that only point at this one
        (a new screening for a young person) can still be added meanwhile. SQLite needs
        none: a write transaction there holds the write lock from its BEGIN IMMEDIATE.
        """
        version = self.conn.execute(
            select(table.c.version).where(table.c.id == row_id).with_for_update(key_share=True)
        ).scalar()
        return None if version is None else int(version)

    def read_version(self, table: Table, row_id: int) -> int | None:
        """A row's version, without locking it (None: no row)."""
        version = self.conn.execute(select(table.c.version).where(table.c.id == row_id)).scalar()
        return None if version is None else int(version)

    def record_version(self, record_type: str, record_id: int | str) -> int | None:
        """The version of a record named as the audit trail names it ("young_person"
        with its case reference, "screening", "support_offer", "session", "case_note"
        with the id); None when there is no such record."""
        from snt_youth.store.schema import metadata

        tables = {
            "young_person": "young_people",
            "screening": "screenings",
            "support_offer": "support_offers",
            "session": "sessions",
            "case_note": "case_notes",
        }
        if record_type not in tables:
            raise InvalidInput(
                f"Records of type {record_type!r} have no version; use one of: {', '.join(tables)}."
            )
        if record_type == "young_person":
            row_id = self.person_id(str(record_id))
        else:
            try:
                row_id = int(record_id)
            except ValueError:
                raise InvalidInput(f"{record_id!r} is not a record id (a number).") from None
        return self.read_version(metadata.tables[tables[record_type]], row_id)

    @staticmethod
    def case_key(case_ref: str) -> str:
        """The key a case reference is matched by (see ``schema.case_key``)."""
        return case_key(case_ref)

    def bump_version(self, table: Table, row_id: int, version: int, **values: Any) -> bool:
        """Write ``values`` and raise the row's version, only if it is still ``version``.

        Returns False, having changed nothing, when someone else changed the row.
        """
        result = self.conn.execute(
            update(table)
            .where(table.c.id == row_id, table.c.version == version)
            .values(**values, version=table.c.version + 1)
        )
        return bool(result.rowcount == 1)

    def last_change(self, record_type: str, record_id: object) -> tuple[str, dt.datetime] | None:
        """Who last changed a record, and when, from the audit trail."""
        row = self.conn.execute(
            select(audit_events.c.user_name, audit_events.c.at)
            .where(
                audit_events.c.record_type == record_type,
                audit_events.c.record_id == str(record_id),
            )
            .order_by(desc(audit_events.c.id))
            .limit(1)
        ).first()
        return None if row is None else (str(row.user_name), row.at)
