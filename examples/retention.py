"""Records over their lifetime: correct them, give a young person their copy, weed on time.

Run it with:  python examples/retention.py
It uses SNT_YOUTH_DB if set, otherwise a file "example-retention.sqlite3" here, and
writes the subject access copy into a private folder "subject-access".
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import snt_youth
from snt_youth.casebook import FixedClock
from snt_youth.printing.sar_pdf import write_sar
from snt_youth.private_files import ensure_private_folder

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-retention.sqlite3")
today = dt.date.today()

# A young person last seen in 2014, who turned 18 in 2018: long past the policy's period.
with snt_youth.open(url, user="a.officer", clock=FixedClock(dt.date(2014, 9, 1))) as past:
    if not past.young_people(search="YJ-2014"):
        past.add_young_person("YJ-2014", dt.date(2000, 5, 2), "north", known_as="Sol")
        past.add_note("YJ-2014", "Met at the youth justice office.")

with snt_youth.open(url, user="a.officer") as book:
    if not book.young_people(search="YJ-3001"):
        book.add_young_person("YJ-3001", dt.date(2011, 2, 3), "north", known_as="Nia")
        book.add_note("YJ-3001", "Nia chose to take part in the direct work.")

    # Rectification: a date of birth typed wrongly is corrected, with a reason.
    if book.young_person("YJ-3001").date_of_birth != dt.date(2011, 3, 2):
        book.amend_young_person(
            "YJ-3001", reason="day and month swapped", date_of_birth=dt.date(2011, 3, 2)
        )
    change = [e for e in book.audit_trail() if e.action == "amend"][-1]
    print(f"Corrected {change.record_id}: {change.detail}")

    # Subject access: everything held about Nia, for the information governance team.
    folder = ensure_private_folder(Path("subject-access"))
    copy = book.subject_access("YJ-3001", output="a JSON file")
    written = write_sar(copy, folder / "YJ-3001.json", book.config)
    print(f"Wrote {written}: {len(copy.notes)} notes, {len(copy.audit)} audit events.")

    # Retention: who is due today, and why.
    policy = book.config.retention
    print(
        f"\nPolicy: keep {policy.years_after_last_contact} years after the later of the last "
        f"contact and the birthday at {policy.from_birthday}."
    )
    for decision in book.retention_review(today, due_only=False):
        state = "due" if decision.due else "kept"
        print(f"  {decision.case_ref}: {state}; {decision.reason}")

    run = book.apply_retention(today)
    print(f"\nYoung people weeded as at {today}: {len(run.weeded)}.")
    for event in book.audit_trail():
        if event.action == "weed":
            print(f"  audit: {event.action} at {event.at:%Y-%m-%d}: {event.detail}")
    print("Still on the caseload:", ", ".join(p.case_ref for p in book.young_people()))
