"""The blind evaluation set for the language check is frozen: its checksum never changes."""

from __future__ import annotations

import hashlib
import tomllib

from tests.support.paths import DATA

BLIND = DATA / "language_blind"


def test_blind_set_matches_its_recorded_checksum() -> None:
    recorded, name = (BLIND / "SHA256SUMS").read_text(encoding="utf-8").split()
    actual = hashlib.sha256((BLIND / name).read_bytes()).hexdigest()
    assert actual == recorded, "the blind set was edited; it is frozen (see its README)"


def test_blind_set_has_both_halves_of_both_labels() -> None:
    data = tomllib.loads((BLIND / "blind_set.toml").read_text(encoding="utf-8"))
    counts: dict[tuple[str, str], int] = {}
    for s in data["sentence"]:
        key = (s["label"], s["split"])
        counts[key] = counts.get(key, 0) + 1
    assert set(counts) == {("flag", "dev"), ("flag", "test"), ("ok", "dev"), ("ok", "test")}
    assert sum(counts.values()) >= 400
    assert min(counts.values()) >= 100
