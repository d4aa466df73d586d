"""Where things are in the checkout, for tests in any room."""

from __future__ import annotations

from pathlib import Path

#: The repository root (the folder holding pyproject.toml).
ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
MATRICES = ROOT / "matrices"
PACKAGE_DATA = ROOT / "src" / "snt_youth" / "data"
