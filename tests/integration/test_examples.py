"""Every script in examples/ runs, as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.paths import EXAMPLES

EXAMPLES = sorted(EXAMPLES.glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SNT_YOUTH_HOME": str(tmp_path / "home"),
        "SNT_YOUTH_DB": f"sqlite:///{tmp_path / 'example.sqlite3'}",
        "SNT_YOUTH_USER": "example.user",
    }
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip(), "an example should show the user something"


def test_there_are_examples() -> None:
    assert EXAMPLES
