"""Loading instruments: the shipped one, a service's own file, and every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from snt_youth import config as service_config
from snt_youth import locations
from snt_youth.errors import ContentError, NotFound
from snt_youth.screening import (
    MISSING_CODES,
    NOT_ASKED,
    instrument_for,
    load_instrument,
    shipped_instruments,
)

HEADER = """
format = "snt-youth-instrument"
format_version = 1
id = "tiny"
version = "0.1"
title = "Tiny test instrument"

[response_sets]
yes-no = [
  { code = "yes", label = "Yes", key = "y" },
  { code = "no", label = "No", key = "n" },
  { code = "not-sure", label = "Not sure", key = "s" },
  { code = "prefer-not-to-say", label = "Rather not say", key = "p" },
]

[[sections]]
id = "home"
title = "At home"
"""

ITEM_A = """
[[items]]
id = "a"
section = "home"
outcome = "home"
officer = "Officer words A?"
young_person = "Young person words A?"
responses = "yes-no"
concern = ["yes"]
timing = "past"
"""

ITEM_B = """
[[items]]
id = "b"
section = "home"
outcome = "safety"
officer = "Officer words B?"
young_person = "Young person words B?"
responses = "yes-no"
concern = ["yes"]
condition = { item = "a", in = ["yes"] }
"""


def write(tmp_path: Path, text: str, name: str = "tiny.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_valid_template_loads(tmp_path: Path) -> None:
    """The bad files below differ from this one by one problem each."""
    instrument = load_instrument(write(tmp_path, HEADER + ITEM_A + ITEM_B))
    assert [item.id for item in instrument.items] == ["a", "b"]
    assert instrument.item("b").condition is not None
    assert instrument.item("a").concern_levels == {"yes": "past"}
    # "not asked" is added to every item as a missing-data code.
    assert instrument.item("a").codes[-1] == NOT_ASKED
    assert instrument.item("a").response(NOT_ASKED).missing


def test_shipped_instrument_loads_by_id() -> None:
    assert "snt-screen" in shipped_instruments()
    instrument = load_instrument("snt-screen")
    assert instrument.id == "snt-screen"
    assert instrument.version == "1.0"
    assert [s.id for s in instrument.sections] == ["home", "relationship", "safety"]
    for item in instrument.items:
        assert {"not-sure", "prefer-not-to-say", "not-asked"} <= set(item.codes)
        assert not set(item.concern) & MISSING_CODES
    assert load_instrument("snt-screen") is instrument  # cached while unchanged


def test_unknown_shipped_id_names_the_choices() -> None:
    with pytest.raises(NotFound, match="snt-screen"):
        load_instrument("no-such-screen")


def test_missing_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="not found"):
        load_instrument(tmp_path / "absent.toml")


def test_edited_file_is_reloaded(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ITEM_A)
    assert load_instrument(path).title == "Tiny test instrument"
    path.write_text((HEADER + ITEM_A).replace("Tiny test", "Edited"), encoding="utf-8")
    import os

    os.utime(path, ns=(1, 10**18))  # a different mtime, even on coarse clocks
    assert load_instrument(path).title == "Edited instrument"


def test_config_can_name_its_own_instrument_relative_to_itself(tmp_path: Path) -> None:
    write(tmp_path, HEADER + ITEM_A, name="mine.toml")
    text = locations.default_config_path().read_text(encoding="utf-8")
    text = text.replace('instrument = "snt-screen"', 'instrument = "mine.toml"')
    cfg_path = write(tmp_path, text, name="service.toml")
    cfg = service_config.parse(text, str(cfg_path))
    assert instrument_for(cfg).id == "tiny"
    assert instrument_for(service_config.load()).id == "snt-screen"


# Each case: (what is wrong, file text, item named in the error or "", problem text).
BAD_FILES = [
    ("bad TOML", HEADER + ITEM_A + "\nthis is = = not toml\n", "", "not valid TOML"),
    (
        "newer format_version",
        HEADER.replace("format_version = 1", "format_version = 2") + ITEM_A,
        "format_version",
        "written by a newer snt-youth",
    ),
    (
        "duplicate item id",
        HEADER + ITEM_A + ITEM_A,
        "items[1] (line 30).id",
        "duplicate item id 'a' (also at items[0] (line 20))",
    ),
    (
        "missing prefer-not-to-say",
        HEADER
        + ITEM_A.replace(
            'responses = "yes-no"',
            'responses = [{ code = "yes", label = "Yes", key = "y" },'
            ' { code = "not-sure", label = "Not sure", key = "s" }]',
        ),
        "items[0] (line 20)",
        "must include 'prefer-not-to-say'",
    ),
    (
        "missing not-sure",
        HEADER
        + ITEM_A.replace(
            'responses = "yes-no"',
            'responses = [{ code = "yes", label = "Yes", key = "y" },'
            ' { code = "prefer-not-to-say", label = "Rather not", key = "p" }]',
        ),
        "items[0] (line 20)",
        "must include 'not-sure'",
    ),
    (
        "concern response not among responses",
        HEADER + ITEM_A.replace('concern = ["yes"]', 'concern = ["often"]'),
        "items[0] (line 20)",
        "concern response 'often' is not one of its responses",
    ),
    (
        "missing-data code as a concern",
        HEADER + ITEM_A.replace('concern = ["yes"]', 'concern = ["yes", "not-sure"]'),
        "items[0] (line 20)",
        "missing-data code",
    ),
    (
        "condition on an unknown item",
        HEADER + ITEM_A + ITEM_B.replace('item = "a"', 'item = "zzz"'),
        "items[1] (line 30)",
        "not an earlier item",
    ),
    (
        "condition on a later item",
        HEADER + ITEM_B.replace('outcome = "safety"', 'outcome = "safety"') + ITEM_A,
        "items[0] (line 20).condition.item",
        "not an earlier item",
    ),
    (
        "condition value that is not an answer",
        HEADER + ITEM_A + ITEM_B.replace('in = ["yes"]', 'in = ["maybe"]'),
        "items[1] (line 30)",
        "'maybe' is not an answer to a",
    ),
    (
        "unknown outcome",
        HEADER + ITEM_A.replace('outcome = "home"', 'outcome = "school"'),
        "items[0] (line 20)",
        "unknown outcome 'school'",
    ),
    (
        "duplicate keys",
        HEADER.replace('label = "No", key = "n"', 'label = "No", key = "y"') + ITEM_A,
        "response_sets.yes-no[1].key",
        "duplicate key 'y'",
    ),
    (
        "empty young person wording",
        HEADER + ITEM_A.replace('"Young person words A?"', '"   "'),
        "items[0] (line 20)",
        "young_person: is empty; write something here.",
    ),
    (
        "empty officer wording",
        HEADER + ITEM_A.replace('officer = "Officer words A?"', 'officer = ""'),
        "items[0] (line 20)",
        "officer: is empty; write something here.",
    ),
    (
        "unknown section",
        HEADER + ITEM_A.replace('section = "home"', 'section = "school"'),
        "items[0] (line 20)",
        "unknown section 'school'",
    ),
    (
        "unknown key (a typo)",
        HEADER + ITEM_A.replace("timing", "timeing"),
        "items[0] (line 20)",
        "unknown key 'timeing'",
    ),
    (
        "home item without timing",
        HEADER + ITEM_A.replace('timing = "past"\n', ""),
        "items[0] (line 20)",
        "home items need timing",
    ),
    (
        "bad timing",
        HEADER + ITEM_A.replace('timing = "past"', 'timing = "sometimes"'),
        "items[0] (line 20)",
        "unknown timing 'sometimes'; use one of: past, ongoing",
    ),
    (
        "bad level",
        HEADER
        + ITEM_A.replace('outcome = "home"', 'outcome = "relationship"').replace(
            'timing = "past"', 'level = "terrible"'
        ),
        "items[0] (line 20)",
        "level 'terrible'",
    ),
    (
        "unknown response set",
        HEADER + ITEM_A.replace('responses = "yes-no"', 'responses = "yes-maybe"'),
        "items[0] (line 20)",
        "unknown response set 'yes-maybe'",
    ),
    (
        "gate without opens",
        HEADER
        + ITEM_A.replace('outcome = "home"', 'outcome = "gate"')
        .replace('concern = ["yes"]\n', 'gates = ["relationship"]\n')
        .replace('timing = "past"\n', ""),
        "items[0] (line 20)",
        "needs opens",
    ),
    (
        "gate on an outcome that cannot be closed",
        HEADER
        + ITEM_A.replace('outcome = "home"', 'outcome = "gate"')
        .replace('concern = ["yes"]\n', 'gates = ["home"]\nopens = ["yes"]\n')
        .replace('timing = "past"\n', ""),
        "items[0] (line 20)",
        "cannot gate 'home'",
    ),
    (
        "safety item switched off safety-now",
        HEADER + ITEM_A + ITEM_B.replace("condition =", "safety_now = false\ncondition ="),
        "items[1] (line 30)",
        "always a safety-now item",
    ),
    ("no items", HEADER, "items", "at least one [[items]]"),
    (
        "not an instrument",
        HEADER.replace('format = "snt-youth-instrument"', 'format = "snt-youth-matrix"') + ITEM_A,
        "format",
        "not a screening instrument",
    ),
    (
        "no version",
        HEADER.replace('version = "0.1"\n', "") + ITEM_A,
        "version",
        "needs a version",
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_instrument_names_file_item_and_problem(
    tmp_path: Path, text: str, where: str, problem: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert str(path.resolve()) in message
    assert where in message
    assert problem in message
    assert "\n" not in message.strip() or "TOML" in message  # one sentence, no traceback
