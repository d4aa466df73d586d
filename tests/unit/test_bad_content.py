"""Every content kind refuses each bad file with its one-line message.

The fixtures are in ``tests/data/bad/<kind>/``: each ``<case>.toml`` (or ``.json``) sits
beside ``<case>.expected``, which holds the message without the file's path in front.
``valid.<ext>`` in each folder loads, so each bad file differs from a good one by its
one problem.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.support.paths import DATA

from snt_youth import backup, config
from snt_youth.errors import ContentError
from snt_youth.language import rules
from snt_youth.printing.helplines import load_helplines
from snt_youth.printing.manifest import MANIFEST, load_manifest
from snt_youth.protect import load_matrix, read_entries_file
from snt_youth.screening import load_instrument

BAD = DATA / "bad"


def _manifest(path: Path) -> Any:
    # A manifest is always called manifest.toml (see _copy), beside its templates.
    (path.parent / "safety-plan.en.html").write_text("<p>{{ title }}</p>", encoding="utf-8")
    return load_manifest(path.parent)


LOADERS: dict[str, Callable[[Path], Any]] = {
    "instrument": load_instrument,
    "matrix": load_matrix,
    "manifest": _manifest,
    "language-rules": rules.load,
    "helplines": load_helplines,
    "service-config": config.load,
    "session-entries": read_entries_file,
    "backup": backup.read,
}


def _cases() -> list[Any]:
    found = []
    for kind in sorted(LOADERS):
        for expected in sorted((BAD / kind).glob("*.expected")):
            found.append(pytest.param(kind, expected.stem, id=f"{kind}/{expected.stem}"))
    return found


def _copy(kind: str, case: str, tmp_path: Path) -> Path:
    """A copy of a fixture, so the message names a path we know (and is never cached)."""
    (path,) = [p for p in (BAD / kind).glob(f"{case}.*") if p.suffix != ".expected"]
    copy = tmp_path / "sub" / (MANIFEST if kind == "manifest" else path.name)
    copy.parent.mkdir()
    shutil.copy(path, copy)
    return copy


def test_every_kind_has_fixtures_for_the_usual_mistakes() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(LOADERS)
    usual = {"unknown-key", "number-for-name", "missing-key", "invalid-utf8", "newer-version"}
    for kind in LOADERS:
        cases = {p.stem for p in (BAD / kind).glob("*.expected")}
        assert usual <= cases, kind
        assert cases & {"toml-syntax", "json-syntax"}, kind


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_the_valid_fixture_loads(kind: str, tmp_path: Path) -> None:
    assert LOADERS[kind](_copy(kind, "valid", tmp_path))


@pytest.mark.parametrize(("kind", "case"), _cases())
def test_bad_file_gives_its_one_line_message(kind: str, case: str, tmp_path: Path) -> None:
    copy = _copy(kind, case, tmp_path)
    expected = (BAD / kind / f"{case}.expected").read_text(encoding="utf-8").strip()
    with pytest.raises(ContentError) as caught:
        LOADERS[kind](copy)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{copy}")
    assert expected in message
    assert message.endswith((".", "?"))
    # Never typing internals or Python reprs of types.
    for internal in ("typing.", "<class", "Literal[", "NoneType", "Traceback"):
        assert internal not in message
