"""The terminal screenshots in docs/ are the snapshot tests' own pictures, unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT


def test_docs_pictures_match_the_snapshots() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "docs_images.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_changed_picture_is_caught(tmp_path: Path) -> None:
    # Run the checker on a copy of the tree with one docs picture altered.
    copy = tmp_path / "repo"
    for part in ("scripts", "docs/images", "tests"):
        src = ROOT / part
        dest = copy / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        if part == "tests":
            for svg in src.glob("**/__snapshots__/test_tui_snapshots/*.svg"):
                target = dest / svg.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(svg.read_bytes())
        else:
            subprocess.run(["cp", "-r", str(src), str(dest)], check=True)
    victim = next((copy / "docs" / "images").glob("tui-caseload.svg"))
    victim.write_text(victim.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(copy / "scripts" / "docs_images.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "tui-caseload.svg differs" in result.stdout
