"""Fuzzing the new rule-file parts: word classes, gaps, lemmas and the frame key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snt_youth.errors import ContentError
from snt_youth.language import patterns, rules

RULE = """
format_version = 1
{words}
[[rule]]
id = "try-frame"
category = "blames-survivor"
frame = {frame}
match = [{match}]
explanation = "Why."
suggestions = ["Instead."]
flags = ["Mum could not keep the boys safe."]
passes = ["Mum kept the boys safe."]
"""


def build(
    words: str = "", frame: str = "true", match: str = '"@cannot ...3 keep~ ...3 safe"'
) -> str:
    return RULE.format(words=words, frame=frame, match=match)


def test_a_frame_with_a_word_class_loads_and_flags() -> None:
    ruleset = rules.parse(build('[words]\ncannot = ["cannot", "not", "never"]'))
    assert ruleset.rules[0].frame
    assert ruleset.words == {"cannot": ("cannot", "not", "never")}


def test_an_unknown_word_class_is_one_line_naming_the_rule() -> None:
    with pytest.raises(ContentError, match=r"rule\[0\].*not a word class"):
        rules.parse(build())


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_any_pattern_text_parses_or_raises_pattern_error(source: str) -> None:
    classes = {"x": patterns.word_class("x", ["mum", "protect~"])}
    try:
        parsed = patterns.parse(source, classes=classes)
    except patterns.PatternError as exc:
        assert str(exc)
        return
    assert parsed.specs and not parsed.specs[-1].gap and not parsed.specs[0].gap


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.lists(st.text(max_size=8), max_size=3),
        max_size=3,
    ),
    st.sampled_from(["true", "false", "1", '"yes"']),
)
def test_any_words_table_and_frame_value_load_or_fail_cleanly(
    table: dict[str, list[str]], frame: str
) -> None:
    import json

    lines = "\n".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in table.items())
    text = build("[words]\n" + lines + '\ncannot = ["not"]', frame=frame)
    try:
        rules.parse(text, check_examples=False)
    except ContentError as exc:
        assert "\n" not in str(exc).strip()


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abc .,\n", max_size=60))
def test_gap_patterns_never_cross_a_sentence(text: str) -> None:
    pattern = patterns.parse("a ...3 b")
    tokens = patterns.Tokens(text)
    for i in range(len(tokens)):
        end = tokens.match(pattern, i)
        if end is not None:
            assert not any(tokens.breaks_sentence(k) for k in range(i + 1, end))
