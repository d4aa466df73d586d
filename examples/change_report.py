"""The change report from a script: what changed between the screenings before and
after court, protected for publication and checked by the intruder.

Run it with:  python examples/change_report.py
Writes change-report.json and change-report.pdf in the current folder.
"""

from __future__ import annotations

import datetime as dt
import os

from snt_youth import demo
from snt_youth.casebook import Casebook, FixedClock
from snt_youth.printing.change_pdf import write_change_pdf
from snt_youth.private_files import write_private
from snt_youth.tracking.change import model_of_change, summary
from snt_youth.tracking.change_exports import to_json
from snt_youth.tracking.intruder import examine

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-change.sqlite3")
clock = FixedClock(dt.date(2026, 9, 1))  # so the 2025-26 year is full of demo data

with Casebook.open(url, user="a.manager", clock=clock) as book:
    if book.is_empty():
        demo.populate(book, n=150, seed=7)
    report = book.change_report("2025-26")

print(report.title)
print(summary(report))
home = report.transition("home")
improved, worse = home.direction("improved"), home.direction("worse")
print(f"Domestic abuse at home: improved {improved}, worse {worse}.")
write_private("change-report.json", to_json(report))
write_change_pdf(report, "change-report.pdf")
print("Wrote change-report.json and change-report.pdf.")

examination = examine(model_of_change(report), exact=False)
hidden, disclosed = len(examination.findings), len(examination.disclosed)
print(f"Intruder check: {hidden} hidden figures, {disclosed} disclosed.")
assert not examination.disclosed
