"""Two people change one record at once: the second change is refused, never lost.

Run it with:  python examples/conflicts.py
It uses SNT_YOUTH_DB if set, otherwise a file "example-conflicts.sqlite3" here.

An officer reads an offer's version, a colleague records a decline in the meantime,
and the officer's contact (written against the version they read) is refused with one
sentence. Nothing is overwritten; the officer reloads and decides again.
"""

from __future__ import annotations

import datetime as dt
import os

import snt_youth
from snt_youth.errors import Conflict

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-conflicts.sqlite3")

with (
    snt_youth.open(url, user="a.officer") as officer,
    snt_youth.open(url, user="r.ahmed") as colleague,
):
    case_ref = "YJ-4001"
    if not officer.young_people():
        officer.add_young_person(case_ref, dt.date(2010, 4, 2), "north", known_as="Sam")
    offer = officer.offer_support(case_ref, "protective-adult", stage="pre-court")

    seen = officer.record_version("support_offer", offer.id)  # what the officer is looking at
    colleague.decline_offer(offer.id)  # meanwhile, on another machine

    try:
        officer.record_contact(offer.id, expected_version=seen)
    except Conflict as problem:
        print(f"Refused: {problem}")
    else:
        raise SystemExit("the stale change was accepted, but it should have been refused")

    stored = officer.offer(offer.id)
    print(f"Stored: {stored.response.value}, {stored.contacts} contacts (the decline stands)")
    # Case references match without regard to case: the same child, never two records.
    print(f"Found by 'yj-4001': {officer.young_person('yj-4001').case_ref}")
