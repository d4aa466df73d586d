"""A first look at the snt-youth library: open a casebook, add young people, offer support.

Run it with:  python examples/casebook_basics.py
It uses SNT_YOUTH_DB if set, otherwise a file "example-casebook.sqlite3" here.
"""

from __future__ import annotations

import datetime as dt
import os

import snt_youth
from snt_youth import vocabulary

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-casebook.sqlite3")

with snt_youth.open(url, user="a.officer") as book:
    print(f"Opened {book.database}")
    if book.is_empty():
        book.add_young_person(
            "YJ-1001", dt.date(2010, 6, 1), "north", known_as="Kai", gender="male"
        )
        book.add_young_person("YJ-1002", dt.date(2008, 2, 14), "iss", known_as="JB")
        offer = book.offer_support("YJ-1001", "protective-adult", stage="pre-court")
        # Named transitions, each one audited use case: accept, then start.
        book.accept_offer(offer.id)
        book.start_support(offer.id, on=dt.date.today())
        book.add_note("YJ-1001", "Kai chose to take part in the direct work.")

    for row in book.caseload():
        print(
            f"{row.case_ref}  {row.known_as:<6} age {row.age}  team {row.team}  "
            f"open support: {row.open_support}"
        )

    # The vocabulary gives every code its title, the same in every face.
    for offer in book.offers("YJ-1001"):
        print(
            f"Offer {offer.id}: {vocabulary.title(offer.response)}, {vocabulary.title(offer.stage)}"
        )

    print("\nAudit trail:")
    for event in book.audit_trail():
        print(
            f"  {event.at:%H:%M:%S} {event.user} {event.action} {event.record_type} "
            f"{event.record_id}"
        )
