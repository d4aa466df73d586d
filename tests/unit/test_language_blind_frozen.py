"""The blind evaluation set for the language check is frozen: its checksum never changes."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest
from tests.support.paths import DATA

BLIND = DATA / "language_blind"
SETS = [BLIND / "blind_set.toml", DATA / "language_blind_v2" / "blind_set_2.toml"]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.parent.name)
def test_blind_set_matches_its_recorded_checksum(path: Path) -> None:
    recorded, name = (path.parent / "SHA256SUMS").read_text(encoding="utf-8").split()
    assert name == path.name
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    assert actual == recorded, "the blind set was edited; it is frozen (see its README)"


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.parent.name)
def test_blind_set_has_both_halves_of_both_labels(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    counts: dict[tuple[str, str], int] = {}
    for s in data["sentence"]:
        key = (s["label"], s["split"])
        counts[key] = counts.get(key, 0) + 1
    assert set(counts) == {("flag", "dev"), ("flag", "test"), ("ok", "dev"), ("ok", "test")}
    assert sum(counts.values()) >= 400
    assert min(counts.values()) >= 100
