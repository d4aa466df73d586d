#!/usr/bin/env python3
"""Make the worksheet pictures in docs/worksheets.md from the worksheets as they print now.

    .venv/bin/python scripts/worksheet_images.py          # write docs/images/worksheet-*.png
    .venv/bin/python scripts/worksheet_images.py --list   # say which pictures it makes

Each picture is one page of a PDF that snt-youth prints, drawn at 60 dots per inch with
pdftoppm (Debian/Ubuntu: sudo apt-get install poppler-utils). The young person and the
session are the made-up ones the layout test uses (tests/support/samples.py). Run this
after changing a template or worksheet.css, and look at the pictures.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "images"
sys.path.insert(0, str(ROOT))  # for tests.support.samples

from tests.support.samples import JO, session  # noqa: E402

from snt_youth.printing import worksheets  # noqa: E402

KEPT = "who-kept-me-safe"
#: picture name: (worksheet, options for render_pdf, page number from 1)
PICTURES: dict[str, tuple[str, dict[str, Any], int]] = {
    "matrix-prefilled-1": (
        f"matrix:{KEPT}",
        {"young_person": JO, "session": session(KEPT)},
        1,
    ),
    "matrix-facilitator-4": (f"matrix:{KEPT}", {}, 4),
    "safety-plan-cream-1": ("safety-plan", {"cream": True}, 1),
    "safety-plan-cream-2": ("safety-plan", {"cream": True}, 2),
    "safety-plan-large-1": ("safety-plan", {"large_print": True}, 1),
    "safety-plan-take-home-1": (
        "safety-plan",
        {"young_person": JO, "take_home": True, "first_name": True},
        1,
    ),
    "screening-form-1": ("screening-form", {}, 1),
    "session-record-1": ("session-record", {}, 1),
}


def draw(pdf: bytes, page: int, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "sheet.pdf"
        source.write_bytes(pdf)
        stem = Path(tmp) / "page"
        pages = ["-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run(["pdftoppm", "-png", "-r", "60", *pages, str(source), str(stem)], check=True)
        shutil.copyfile(stem.with_suffix(".png"), out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="only list the pictures")
    args = parser.parse_args(argv)
    if args.list:
        for name, (sheet, options, page) in PICTURES.items():
            print(f"docs/images/worksheet-{name}.png: {sheet}, page {page}, {options or 'blank'}")
        return 0
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: install poppler-utils and try again.", file=sys.stderr)
        return 1
    for name, (sheet, options, page) in PICTURES.items():
        out = DOCS / f"worksheet-{name}.png"
        draw(worksheets.render_pdf(sheet, **options), page, out)
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
