"""A screening from start to finish with the library, as the terminal app does it.

Run it with:  python examples/screening.py
Shows each question in the young person's words, stores each answer at once, then the
outcome, any safety escalation, and the suggested support with the team's champions.
"""

from __future__ import annotations

import datetime as dt
import os

import snt_youth
from snt_youth.screening import next_item

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-screening.sqlite3")

# What the young person said, by question id. Anything not listed is "no".
SAID = {"home-scare": "yes-before", "home-yp-protect": "yes-before", "safe-place": "yes"}

with snt_youth.open(url, user="a.officer") as book:
    if not book.young_people(search="YJ-3001"):
        book.add_young_person("YJ-3001", dt.date(2010, 9, 9), "south", known_as="Ash")
    draft = book.draft_for("YJ-3001", "pre-court") or book.start_screening("YJ-3001", "pre-court")
    instrument = book.instrument()
    print(f"Screening {draft.id} with {instrument.title} {instrument.version}")

    answers = draft.answers
    while (item := next_item(instrument, answers)) is not None:
        response = SAID.get(item.id, "no")
        answers = book.answer(draft.id, item.id, response).answers  # stored at once
        print(f"  {item.young_person:<75} {response}")

    result = book.complete_screening(draft.id)
    o = result.outcome
    print(
        f"\nAt home: {o.home.value}. Relationship: {o.relationship.value}. "
        f"Safety now: {o.safety.value}."
    )
    for route in result.routes:
        print(f"Consider: {route.title}")
    for service in result.suggestions:
        print(f"Suggested: {service.name} ({service.kind})")
    print(f"Champions who can help: {', '.join(result.champions)}")

    offer = book.offer_support("YJ-3001", result.suggestions[0].id, screening_id=draft.id)
    print(f"Recorded offer {offer.id} for {offer.case_ref}.")
