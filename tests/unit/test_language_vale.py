"""The Vale export: existence rules in Vale's documented schema, with no look-arounds.

No Vale binary can be installed here (the PyPI wrapper downloads it at run time), so
these tests check the YAML against Vale's documented schema for ``existence`` rules
(extends, message, level, ignorecase, nonword, tokens) and check that each exported
token matches what the check itself matches.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from snt_youth import language
from snt_youth.language import patterns, vale

EXISTENCE_KEYS = {"extends", "message", "level", "ignorecase", "nonword", "tokens"}
LOOKAROUND = re.compile(r"\(\?<?[=!]")


def parse_yaml(text: str) -> dict[str, object]:
    """The small YAML subset the exporter writes: scalars and one list of quoted strings."""
    out: dict[str, object] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith("  - "):
            value = line[4:]
            assert value.startswith("'") and value.endswith("'"), line
            tokens = out.setdefault(key, [])
            assert isinstance(tokens, list)
            tokens.append(value[1:-1].replace("''", "'"))
            continue
        key, _, value = line.partition(": ")
        key = key.rstrip(":")
        if value:
            out[key] = value[1:-1].replace("''", "'") if value.startswith("'") else value
    return out


def test_export_writes_schema_valid_existence_rules(tmp_path: Path) -> None:
    done = vale.export(language.load_rules(), tmp_path)
    assert done.written and done.skipped
    style = tmp_path / vale.STYLE
    for name in done.written:
        data = parse_yaml((style / f"{name}.yml").read_text(encoding="utf-8"))
        assert set(data) == EXISTENCE_KEYS
        assert data["extends"] == "existence" and data["level"] == "warning"
        tokens = data["tokens"]
        assert isinstance(tokens, list) and tokens
        for token in tokens:
            assert not LOOKAROUND.search(token), token
            re.compile(token)
        assert (style / f"{name}.yml").stat().st_mode & 0o777 == 0o600
    readme = (style / "README.md").read_text(encoding="utf-8")
    for rule_id in done.skipped:
        assert f"- {rule_id}: " in readme


def test_exported_rules_match_their_own_flags_examples(tmp_path: Path) -> None:
    ruleset = language.load_rules()
    done = vale.export(ruleset, tmp_path)
    for comp in ruleset.compiled:
        if vale.vale_name(comp.rule.id) not in done.written:
            continue
        regexes = [re.compile(vale.pattern_regex(p), re.IGNORECASE) for p in comp.match]
        for sentence in comp.rule.flags:
            assert any(r.search(sentence) for r in regexes), (comp.rule.id, sentence)


WORDS = st.sampled_from(["fail", "protect", "the", "kids", "him", "safe", "keep", "away"])


@st.composite
def pattern_and_text(draw: st.DrawFn) -> tuple[str, str]:
    words = draw(st.lists(WORDS, min_size=1, max_size=4))
    pieces = []
    for n, word in enumerate(words):
        kind = draw(st.sampled_from(["plain", "plus", "optional", "gap"] if n else ["plain"]))
        if kind == "plus":
            pieces.append(word + "+")
        elif kind == "optional":
            pieces.append(f"[{word}]")
        elif kind == "gap":
            pieces.append("...2")
            pieces.append(word)
        else:
            pieces.append(word)
    text = " ".join(draw(st.lists(WORDS, min_size=1, max_size=8)))
    return " ".join(pieces), text


@settings(max_examples=200, deadline=None)
@given(pattern_and_text())
def test_round_trip_the_vale_regex_finds_what_the_pattern_finds(case: tuple[str, str]) -> None:
    source, text = case
    pattern = patterns.parse(source)
    tokens = patterns.Tokens(text)
    engine_hit = any(tokens.match(pattern, i) is not None for i in range(len(tokens)))
    regex_hit = re.search(vale.pattern_regex(pattern), text, re.IGNORECASE) is not None
    if engine_hit:
        assert regex_hit, (source, text)
