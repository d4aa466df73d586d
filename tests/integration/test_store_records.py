"""The store returns attrs records, never SQLAlchemy rows."""

from __future__ import annotations

import datetime as dt

import attrs

from snt_youth import model
from snt_youth.casebook import Casebook
from snt_youth.store import Store
from snt_youth.store.views import CaseloadEntry


def test_caseload_entries_are_records_with_typed_values(book: Casebook, db_url: str) -> None:
    book.add_young_person("YJ-1", dt.date(2010, 1, 1), "north", known_as="Kai")
    book.add_young_person("YJ-2", dt.date(2011, 1, 1), "south")
    items = book.instrument().items
    answers = {i.id: "no" for i in items if i.condition is None}
    answers["safe-place"] = "yes"
    book.record_screening("YJ-1", "pre-court", answers)
    book.start_screening("YJ-2", "post-court")
    store = Store(db_url)
    try:
        with store.reading() as tx:
            entries = tx.caseload()
    finally:
        store.close()
    assert all(isinstance(e, CaseloadEntry) and attrs.has(type(e)) for e in entries)
    screened, draft_only = entries
    assert screened.last_stage is model.Stage.PRE_COURT
    assert screened.last_safety is model.SafetyNow.NONE
    assert screened.last_home is model.HomeAbuse.NONE_DISCLOSED
    assert screened.last_need is False and screened.drafts == 0
    assert draft_only.last_stage is None and draft_only.last_need is None
    assert draft_only.drafts == 1 and draft_only.known_as is None
