"""conftest.py runs once per test process: a second import (as ``tests.conftest``)
would make a second key folder and move SNT_YOUTH_KEY_DIR mid-run, so databases made
by module-scoped fixtures would lose their keys (seen after a merge)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_module_imports_conftest() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.name != "conftest.py"
        and path.name != Path(__file__).name
        and (
            "from tests.conftest" in (text := path.read_text(encoding="utf-8"))
            or "import tests.conftest" in text
        )
    ]
    assert offenders == [], f"import helpers from tests.support instead: {offenders}"
