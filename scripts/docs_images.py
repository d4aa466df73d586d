#!/usr/bin/env python3
"""Copy the terminal-app snapshots into docs/images, so the pictures in the docs cannot drift.

The snapshot tests (tests/**/__snapshots__/test_tui_snapshots/test_NAME.svg) are the one
source of every terminal screenshot; docs/images/tui-NAME.svg (underscores as hyphens) is
a copy. Run this after `pytest --snapshot-update`:

    .venv/bin/python scripts/docs_images.py          # copy
    .venv/bin/python scripts/docs_images.py --check  # exit 1 if any picture differs

A docs picture with no snapshot behind it is reported too, because nothing keeps it true.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "images"


def snapshots() -> dict[Path, Path]:
    """Each snapshot SVG, mapped to the docs picture it becomes."""
    found: dict[Path, Path] = {}
    for svg in sorted(ROOT.glob("tests/**/__snapshots__/test_tui_snapshots/test_*.svg")):
        name = svg.stem.removeprefix("test_").replace("_", "-")
        found[svg] = DOCS / f"tui-{name}.svg"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report pictures that differ")
    args = parser.parse_args(argv)
    pairs = snapshots()
    if not pairs:
        print("No snapshots found under tests/: run the snapshot tests first.", file=sys.stderr)
        return 1
    stale = [
        dest
        for src, dest in pairs.items()
        if not dest.exists() or dest.read_bytes() != src.read_bytes()
    ]
    orphans = sorted(set(DOCS.glob("tui-*.svg")) - set(pairs.values()))
    if args.check:
        for dest in stale:
            print(f"{dest.relative_to(ROOT)} differs from its snapshot: run scripts/docs_images.py")
        for dest in orphans:
            print(f"{dest.relative_to(ROOT)} has no snapshot test behind it")
        return 1 if stale or orphans else 0
    for src, dest in pairs.items():
        if dest in stale:
            shutil.copyfile(src, dest)
            print(f"updated {dest.relative_to(ROOT)}")
    for dest in orphans:
        print(f"{dest.relative_to(ROOT)} has no snapshot test behind it", file=sys.stderr)
    return 1 if orphans else 0


if __name__ == "__main__":
    raise SystemExit(main())
