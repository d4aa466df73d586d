"""Quarterly access figures from a script: build a demo service, report a quarter, export it.

Run it with:  python examples/quarterly_report.py
Writes quarterly.csv, quarterly.xlsx and quarterly.json in the current folder.
"""

from __future__ import annotations

import os

import snt_youth
from snt_youth import demo
from snt_youth.tracking import exports

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-quarterly.sqlite3")

with snt_youth.open(url, user="a.manager") as book:
    if book.is_empty():
        demo.populate(book, n=80, seed=5)
    quarters = book.quarters_with_data()
    print("Quarters with data:", ", ".join(str(q) for q in quarters))
    report = book.quarterly_report(quarters[-2] if len(quarters) > 1 else None)

print(f"\n{report.title} (as at {report.report_date})")
print(report.disclosure.rule)
for cell in report.headline.total.cells:
    print(f"  {cell.measure:<18} {cell.figure!s:>5}")

for fmt in ("csv", "xlsx", "json"):
    path = exports.write(report, fmt, f"quarterly.{fmt}")
    print(f"Wrote {path}")
