"""What every family of store operations shares: the connection, and person lookup."""

from __future__ import annotations

from sqlalchemy import Connection, select

from snt_youth.errors import NotFound
from snt_youth.store.schema import young_people


class TxBase:
    """One connection, inside one transaction (or one read)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def person_id(self, case_ref: str) -> int:
        """The row id of the young person with ``case_ref``; NotFound names the fix."""
        found = self.conn.execute(
            select(young_people.c.id).where(young_people.c.case_ref == case_ref)
        ).scalar()
        if found is None:
            raise NotFound(
                f"No young person with case reference {case_ref!r}. "
                "Check the reference, or list the caseload with 'snt-youth young-person list'."
            )
        return int(found)
