"""DESIGN.md rule 1: the core is headless and `import snt_youth` is light."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import snt_youth

HEAVY = ("textual", "weasyprint", "sqlalchemy", "alembic", "openpyxl")

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(snt_youth.__path__, "snt_youth.")
    if not m.name.startswith(("snt_youth.tui", "snt_youth.store", "snt_youth.printing"))
    and ".migrations" not in m.name
    and m.name != "snt_youth.__main__"
)


def loaded_after_import(module: str) -> set[str]:
    code = (
        f"import json, sys; import {module}; "
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(out.stdout))


def test_import_snt_youth_pulls_in_nothing_heavy() -> None:
    assert not loaded_after_import("snt_youth") & set(HEAVY)


@pytest.mark.parametrize("module", CORE)
def test_core_module_is_headless(module: str) -> None:
    loaded = loaded_after_import(module)
    assert "textual" not in loaded, module
    assert "weasyprint" not in loaded, module
    if not module.startswith(("snt_youth.casebook", "snt_youth.cli")):
        assert "sqlalchemy" not in loaded, module


def test_cli_help_does_not_load_the_tui_or_pdf_engine() -> None:
    code = (
        "import sys\nfrom snt_youth.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.strip().splitlines()[-1].split(","))
    assert not loaded & {"textual", "weasyprint", "sqlalchemy"}
