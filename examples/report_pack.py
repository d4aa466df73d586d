"""A board pack from a script: every team's report and the service report, protected
together, checked by the intruder, released and recorded.

Run it with:  python examples/report_pack.py
Writes the pack's JSON files into ./report-pack.
"""

from __future__ import annotations

import os
from pathlib import Path

import snt_youth
from snt_youth import demo
from snt_youth.private_files import ensure_private_folder
from snt_youth.tracking import exports
from snt_youth.tracking.intruder import check

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-pack.sqlite3")
folder = ensure_private_folder(Path("report-pack"))

with snt_youth.open(url, user="a.manager") as book:
    if book.is_empty():
        demo.populate(book, n=20, seed=7)
    quarters = book.quarters_with_data()
    pack = book.report_pack(quarters[-2] if len(quarters) > 1 else None)
    for report in pack.reports:
        name = f"{report.team or 'service'}.json"
        exports.write(report, "json", folder / name)
        print(f"Wrote {folder / name}: {report.title}")
    release = book.record_release(pack)
    print(f"Recorded release {release}.")

examination = check(pack.reports)
print(
    f"Intruder check over {len(pack.reports)} reports: {len(examination.findings)} hidden "
    f"figures examined, {len(examination.disclosed)} disclosed."
)
assert not examination.disclosed
