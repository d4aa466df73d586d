"""The shipped language rules: their own examples, coverage, and rule-file validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from snt_youth import language
from snt_youth.errors import ContentError, NotFound
from snt_youth.language import rules as rules_mod

RULES = language.load_rules()


def _ids(findings: list[language.Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def test_there_are_at_least_forty_rules_in_every_category() -> None:
    assert len(RULES) >= 40
    by_category = {c: [r for r in RULES if r.category == c] for c in language.CATEGORIES}
    assert all(by_category.values()), {c: len(rs) for c, rs in by_category.items()}


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_flags_its_own_flags_examples(rule: language.Rule) -> None:
    for sentence in rule.flags:
        assert rule.id in _ids(language.check(sentence, rules=RULES)), sentence


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_does_not_flag_its_own_passes_examples(rule: language.Rule) -> None:
    for sentence in rule.passes:
        assert rule.id not in _ids(language.check(sentence, rules=RULES)), sentence


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_has_one_sentence_explanation_and_suggestions(rule: language.Rule) -> None:
    assert rule.explanation.endswith(".")
    # one sentence: no full stop followed by a new sentence inside it
    assert ". " not in rule.explanation.replace("Mr. ", "").rstrip(".")
    assert rule.suggestions and all(s.strip() for s in rule.suggestions)
    assert rule.flags and rule.passes


# Wording named in DOMAIN.md and issue 8, each with the rule expected to catch it.
REQUIRED = [
    ("Mum failed to protect the children.", "failure-to-protect"),
    ("There is a failure to protect.", "failure-to-protect"),
    ("She allowed the children to see it.", "allowed-children-to-see"),
    ("She chose him over the children.", "chose-him-over"),
    ("She was assaulted last night.", "passive-assault"),
    ("He was hit in the face.", "passive-assault"),
    ("She got beaten at the weekend.", "passive-assault"),
    ("They have a volatile relationship.", "volatile-relationship"),
    ("It is a toxic relationship.", "toxic-relationship"),
    ("Police attended a domestic.", "a-domestic"),
    ("They fight every weekend.", "they-fight"),
    ("There was mutual fighting.", "mutual-abuse"),
    ("He hit her during an argument.", "argument-for-assault"),
    ("He pushed her a bit.", "pushed-a-bit"),
    ("The boy witnessed domestic violence.", "witnessed-abuse"),
    ("She provoked him.", "provoked"),
    ("She triggered him.", "triggered-him"),
    ("He assaulted his partner and was sent to anger management.", "anger-management"),
    ("He is a young offender.", "offender-label"),
    ("She is an offender.", "offender-label"),
]


@pytest.mark.parametrize(("sentence", "rule_id"), REQUIRED)
def test_wording_named_in_the_brief_is_flagged(sentence: str, rule_id: str) -> None:
    assert rule_id in _ids(language.check(sentence))


def test_issue_example_flags_both_phrases_with_suggestions() -> None:
    text = "Mum failed to protect the children from the volatile relationship."
    findings = language.check(text)
    assert [f.text for f in findings] == ["failed to protect", "volatile relationship"]
    assert all(f.suggestions for f in findings)


def test_explain_returns_the_rule_and_describes_it() -> None:
    rule = language.explain("failure-to-protect")
    assert rule.category == "blames-survivor"
    text = rule.describe()
    assert "failure-to-protect" in text and rule.explanation in text
    assert all(s in text for s in rule.suggestions)


def test_explain_unknown_rule_says_how_to_list_rules() -> None:
    with pytest.raises(NotFound, match="--list-rules"):
        language.explain("no-such-rule")


# ---------------------------------------------------------------- malformed rule files

GOOD_RULE = """
[[rule]]
id = "demo-rule"
category = "minimises"
match = ["just a tiff"]
explanation = "It shrinks the harm."
suggestions = ["Say what he did."]
flags = ["It was just a tiff."]
passes = ["He hit her."]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_service_rule_file_loads_and_is_used(tmp_path: Path) -> None:
    ruleset = language.load_rules(_write(tmp_path, "format_version = 1\n" + GOOD_RULE))
    assert [r.id for r in ruleset] == ["demo-rule"]
    findings = language.check("Honestly it was just a tiff.", rules=ruleset)
    assert [(f.rule_id, f.text) for f in findings] == [("demo-rule", "just a tiff")]


BAD_FILES = [
    ("format_version = 1\n[[rule]\n", "", "not valid TOML"),
    ("[[rule]]\nid = 'x'\n", "top level", "missing key 'format_version'"),
    ("format_version = 9\n" + GOOD_RULE, "format_version", "newer"),
    ("format_version = 1\n", "rule", "no rules"),
    ("format_version = 1\nrules = 1\n" + GOOD_RULE, "rules", "unknown key 'rules'"),
    (
        "format_version = 1\n" + GOOD_RULE.replace('"minimises"', '"rude"'),
        "rule[0] (line 3).category",
        "unknown category 'rude'",
    ),
    (
        "format_version = 1\n" + GOOD_RULE.replace('explanation = "It shrinks the harm."', ""),
        "rule[0] (line 3)",
        "missing key 'explanation'",
    ),
    (
        "format_version = 1\n" + GOOD_RULE.replace('"just a tiff"', '"just a (tiff"'),
        "rule[0] (line 3).match",
        "is not a word",
    ),
    (
        "format_version = 1\n" + GOOD_RULE.replace('"just a tiff"', '"[just] [a]"'),
        "rule[0] (line 3).match",
        "at least one word",
    ),
    (
        "format_version = 1\n" + GOOD_RULE + 'regex = ["(unclosed"]\n',
        "rule[0] (line 3).regex",
        "not a valid regular expression",
    ),
    (
        "format_version = 1\n" + GOOD_RULE + GOOD_RULE,
        "rule[1] (line 12).id",
        "duplicate rule id 'demo-rule'",
    ),
    (
        "format_version = 1\n" + GOOD_RULE + "colour = 'red'\n",
        "rule[0] (line 3).colour",
        "unknown key",
    ),
    (
        "format_version = 1\n" + GOOD_RULE.replace('"It was just a tiff."', '"All fine."'),
        "rule[0] (line 3).flags",
        "is not flagged by this rule",
    ),
    (
        "format_version = 1\n" + GOOD_RULE.replace('"He hit her."', '"Just a tiff."'),
        "rule[0] (line 3).passes",
        "is flagged by this rule",
    ),
    (
        "format_version = 1\n" + GOOD_RULE.replace('id = "demo-rule"', 'id = "Demo Rule"'),
        "rule[0] (line 3).id",
        "lower-case words joined by hyphens",
    ),
    (
        "format_version = 1\n" + GOOD_RULE + "window = 0\n",
        "rule[0] (line 3).window",
        "whole number",
    ),
    (
        "format_version = 1\n" + GOOD_RULE.replace('passes = ["He hit her."]', "passes = []"),
        "rule[0] (line 3).passes",
        "must not flag",
    ),
]


@pytest.mark.parametrize(("text", "where", "problem"), BAD_FILES)
def test_malformed_rule_file_names_file_key_and_problem(
    tmp_path: Path, text: str, where: str, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ContentError) as info:
        language.load_rules(path)
    message = str(info.value)
    assert str(path.resolve()) in message
    assert where in info.value.where
    assert problem in info.value.problem
    assert "\n" not in message


def test_missing_and_binary_rule_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="file not found"):
        language.load_rules(tmp_path / "nope.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ContentError, match="not UTF-8"):
        language.load_rules(binary)


def test_shipped_rules_are_not_half_loaded_on_error(tmp_path: Path) -> None:
    # A file with a good rule then a bad one loads nothing at all.
    text = (
        "format_version = 1\n"
        + GOOD_RULE
        + GOOD_RULE.replace("demo-rule", "x-y").replace('"minimises"', '"nope"')
    )
    with pytest.raises(ContentError):
        rules_mod.parse(text, "mem.toml")
