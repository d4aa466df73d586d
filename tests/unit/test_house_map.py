"""docs/dev/house.md lists every module once, and nothing that is gone."""

from __future__ import annotations

import re

from tests.support.paths import DOCS, ROOT

PACKAGE = ROOT / "src" / "snt_youth"


def test_every_module_is_on_the_map_and_nothing_else() -> None:
    text = (DOCS / "dev" / "house.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `([\w/]+\.py)`", text, flags=re.MULTILINE)
    modules = {
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts
    }
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert sorted(modules - set(listed)) == [], "modules missing from docs/dev/house.md"
    assert sorted(set(listed) - modules) == [], "docs/dev/house.md lists modules that are gone"
