"""Correcting records: reading one case note, and writing a correction to any record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from snt_youth import model
from snt_youth.errors import InvalidInput, NotFound
from snt_youth.store.base import TxBase
from snt_youth.store.records import to_db
from snt_youth.store.schema import case_notes, metadata, young_people

#: The records a correction may change, by audit record type, and their tables.
AMENDABLE = {
    "support_offer": "support_offers",
    "session": "sessions",
    "case_note": "case_notes",
}


class RectificationTx(TxBase):
    """Corrections, each written only over the version that was read."""

    def note(self, note_id: int) -> model.CaseNote:
        row = self.conn.execute(
            select(case_notes, young_people.c.case_ref)
            .join(young_people, young_people.c.id == case_notes.c.young_person_id)
            .where(case_notes.c.id == note_id)
        ).first()
        if row is None:
            raise NotFound(
                f"No case note with id {note_id}. See a young person's notes with "
                "'snt-youth young-person show REF --json'."
            )
        return model.CaseNote(row.id, row.case_ref, row.written_on, row.author, row.text)

    def lock_record(self, record_type: str, record_id: int) -> int | None:
        """Lock a support offer, session or case note; its version, or None if there is none."""
        return self.lock_row(metadata.tables[_table(record_type)], record_id)

    def amend_record(
        self, record_type: str, record_id: int, values: Mapping[str, Any], *, version: int
    ) -> bool:
        """Write corrected ``values`` if the record is still at ``version``."""
        table = metadata.tables[_table(record_type)]
        return self.bump_version(
            table, record_id, version, **{k: to_db(v) for k, v in values.items()}
        )


def _table(record_type: str) -> str:
    if record_type not in AMENDABLE:
        raise InvalidInput(f"Records of type {record_type!r} cannot be corrected here.")
    return AMENDABLE[record_type]


__all__ = ["AMENDABLE", "RectificationTx"]
