"""Print a blank "My safety plan" worksheet to a PDF in the current folder.

    python examples/worksheets.py

A blank worksheet holds no personal data, so it needs no database and carries no
OFFICIAL-SENSITIVE marking. To print for a young person, pass ``young_person=``
(a record from ``snt_youth.open(...).young_person(REF)``).
"""

from __future__ import annotations

from pathlib import Path

from snt_youth.printing import worksheets


def main() -> None:
    for sheet in worksheets.list_worksheets():
        print(f"{sheet.name:26} {sheet.title}")
    pdf = worksheets.render_pdf("safety-plan", cream=True)
    out = Path("safety-plan.pdf")
    out.write_bytes(pdf)
    print(f"Wrote {out} ({len(pdf) // 1024} KB).")


if __name__ == "__main__":
    main()
