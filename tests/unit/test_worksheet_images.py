"""The worksheet pictures in docs/worksheets.md are the ones scripts/worksheet_images.py makes."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pictures() -> set[str]:
    spec = importlib.util.spec_from_file_location(
        "worksheet_images", ROOT / "scripts" / "worksheet_images.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {f"worksheet-{name}.png" for name in module.PICTURES}


def test_every_worksheet_picture_in_the_docs_is_made_by_the_script() -> None:
    page = (ROOT / "docs" / "worksheets.md").read_text("utf-8")
    shown = set(re.findall(r"\(images/(worksheet-[a-z0-9-]+\.png)\)", page))
    assert shown, "docs/worksheets.md should show the worksheets"
    assert shown == _pictures()
    on_disk = {p.name for p in (ROOT / "docs" / "images").glob("worksheet-*.png")}
    assert on_disk == shown
