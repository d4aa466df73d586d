"""Fuzzing the content reader: whatever a file holds, a loader either returns a valid
object or raises one ContentError. Nothing else ever escapes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support.paths import DATA

from snt_youth import backup, config, content
from snt_youth.errors import ContentError
from snt_youth.language import rules
from snt_youth.printing import helplines, manifest
from snt_youth.protect import matrix, session
from snt_youth.screening import instrument

BAD = DATA / "bad"

TOML_PARSERS: dict[str, Callable[[str], Any]] = {
    "instrument": lambda text: instrument.parse_instrument(text, "fuzz.toml"),
    "matrix": lambda text: matrix.parse_matrix(text, "fuzz.toml"),
    "manifest": lambda text: manifest.parse_manifest(
        content.parse_toml(text, "fuzz.toml").data, Path("fuzz.toml"), text
    ),
    "language-rules": lambda text: rules.parse(text, "fuzz.toml", check_examples=False),
    "helplines": lambda text: helplines.parse(
        content.parse_toml(text, "fuzz.toml").data, "fuzz.toml", text
    ),
    "service-config": lambda text: config.parse(text, "fuzz.toml"),
}
JSON_PARSERS: dict[str, Callable[[Any], Any]] = {
    "session-entries": lambda data: session.entries_from_data(data, "fuzz.json"),
    "backup": lambda data: backup.check(data, "fuzz.json"),
}
FILE_LOADERS: dict[str, Callable[[Path], Any]] = {
    "instrument": instrument.load_instrument,
    "matrix": matrix.load_matrix,
    "language-rules": rules.load,
    "helplines": helplines.load_helplines,
    "service-config": config.load,
    "session-entries": session.read_entries_file,
    "backup": backup.read,
}

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

keys = st.sampled_from(
    ["id", "name", "title", "kind", "format", "format_version", "teams", "items", "columns",
     "rule", "helplines", "worksheets", "entries", "tables", "service", "support", "x"]
)  # fmt: skip
scalars = st.one_of(
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["north", "safety", "yes", "Bad Id", "", " "]),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)),
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=8))
json_documents = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


def quoted(text: str) -> str:
    # A JSON string without \\u escapes for non-ASCII is a TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def to_toml(value: Any) -> str:
    """A TOML value (inline form), for documents the strategy makes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | dt.date):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{quoted(k)} = {to_toml(v)}" for k, v in value.items()) + "}"


def ends_well(parse: Callable[[Any], Any], given_value: Any) -> None:
    try:
        result = parse(given_value)
    except ContentError as error:
        assert "\n" not in str(error)
    else:
        assert result is not None


@FUZZ
@given(kind=st.sampled_from(sorted(TOML_PARSERS)), table=st.dictionaries(keys, documents))
def test_toml_shaped_documents_give_a_result_or_one_content_error(
    kind: str, table: dict[str, Any]
) -> None:
    text = "\n".join(f"{quoted(k)} = {to_toml(v)}" for k, v in table.items())
    ends_well(TOML_PARSERS[kind], text)


@FUZZ
@given(kind=st.sampled_from(sorted(JSON_PARSERS)), data=json_documents)
def test_json_shaped_documents_give_a_result_or_one_content_error(kind: str, data: Any) -> None:
    ends_well(JSON_PARSERS[kind], data)


@FUZZ
@given(
    kind=st.sampled_from(sorted(TOML_PARSERS)),
    cut=st.integers(0, 400),
    noise=st.text(max_size=6),
)
def test_damaged_valid_files_give_a_result_or_one_content_error(
    kind: str, cut: int, noise: str
) -> None:
    (valid,) = (BAD / kind).glob("valid.*")
    text = valid.read_text(encoding="utf-8")
    ends_well(TOML_PARSERS[kind], text[:cut] + noise + text[cut:])


@FUZZ
@given(kind=st.sampled_from(sorted(FILE_LOADERS)), data=st.binary(max_size=200))
def test_arbitrary_bytes_give_a_result_or_one_content_error(
    kind: str, data: bytes, tmp_path_factory: Any
) -> None:
    suffix = ".json" if kind in ("session-entries", "backup") else ".toml"
    path = tmp_path_factory.mktemp("fuzz") / f"file{suffix}"
    path.write_bytes(data)
    ends_well(FILE_LOADERS[kind], path)


@FUZZ
@given(st.text(max_size=6).map(lambda s: s + "\ud800"))
def test_lone_surrogates_in_text_are_refused_by_key(text: str) -> None:
    data = {"format": session.FORMAT, "format_version": 1, "entries": [], "reflection": text}
    try:
        session.entries_from_data(data, "fuzz.json")
    except ContentError as error:
        assert error.where == "reflection"
        assert "broken character" in error.problem
    else:
        raise AssertionError("a lone surrogate was accepted")


def test_the_cache_is_keyed_on_the_file_not_on_a_pickle(tmp_path: Path) -> None:
    path = tmp_path / "service.toml"
    path.write_text((BAD / "service-config" / "valid.toml").read_text(), encoding="utf-8")
    first = config.load(path)
    assert config.load(path) is first
    stamp = content.file_stamp(path)
    assert stamp is not None and stamp[0] == str(path.resolve())
    path.write_text(path.read_text() + "\n# a comment makes it longer\n", encoding="utf-8")
    assert config.load(path) is not first
    assert not list(tmp_path.glob("*.pickle")) and not list(tmp_path.glob("*.cache"))
