"""``import snt_youth.language`` stays light: rules load only when first used."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_importing_the_package_loads_no_rules_engine_or_heavy_library() -> None:
    loaded = _modules_after("import snt_youth.language")
    assert "snt_youth.language.rules" not in loaded
    assert "snt_youth.language.engine" not in loaded
    assert not {"textual", "sqlalchemy", "weasyprint", "click"} & loaded


def test_checking_text_needs_no_heavy_library() -> None:
    loaded = _modules_after("import snt_youth.language as l; l.check('She provoked him.')")
    assert "snt_youth.language.engine" in loaded
    assert not {"textual", "sqlalchemy", "weasyprint", "click"} & loaded
