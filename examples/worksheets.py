"""Print a blank "My safety plan", and a take-home copy, to PDFs in the current folder.

    python examples/worksheets.py

A blank worksheet holds no personal data, so it needs no database and carries no
OFFICIAL-SENSITIVE marking. To print for a young person, pass ``young_person=``
(a record from ``snt_youth.open(...).young_person(REF)``). Their take-home copy
(``take_home=True``) has no case reference and no marking, and their first name only
with ``first_name=True``; in a real service, record it with ``worksheets.audit_print``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from snt_youth.model import YoungPerson
from snt_youth.printing import worksheets
from snt_youth.private_files import write_private


def main() -> None:
    for sheet in worksheets.list_worksheets():
        print(f"{sheet.name:26} {sheet.title}")
    pdf = worksheets.render_pdf("safety-plan", cream=True)
    out = Path("safety-plan.pdf")
    out.write_bytes(pdf)
    print(f"Wrote {out} ({len(pdf) // 1024} KB).")

    sam = YoungPerson("YJ-0001", dt.date(2011, 5, 1), "north", known_as="Sam")
    prepared = worksheets.prepare("safety-plan", young_person=sam, take_home=True, first_name=True)
    print(f"Take-home copy marked: {prepared.personal}; audit: {worksheets.audit_detail(prepared)}")
    home = Path("safety-plan-take-home.pdf")
    write_private(home, worksheets.pdf_from(prepared))  # a first name: yours only (0600)
    print(f"Wrote {home}: no case reference and no marking, with Sam's first name.")


if __name__ == "__main__":
    main()
