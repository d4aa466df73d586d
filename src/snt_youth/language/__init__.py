"""The recording-language check: flags survivor-blaming and mutualising wording in notes.

Safe & Together practice names who did what: the harm done by the person causing it,
and the protective efforts of the survivor. This package checks written notes against
rules kept as data (``snt_youth/data/language_rules.toml``) and, like a linter, says
what it found, why it matters, and what to write instead::

    from snt_youth import language
    for finding in language.check(note):
        print(finding.line, finding.column, finding.rule_id, finding.suggestions[0])

Importing this package is cheap: the rules load and compile on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from snt_youth.language.engine import Finding
    from snt_youth.language.rules import Rule, RuleSet

__all__ = ["CATEGORIES", "Finding", "Rule", "RuleSet", "check", "explain", "load_rules"]


def check(
    text: str | bytes, *, rules: RuleSet | None = None, markdown: bool = False
) -> list[Finding]:
    """Findings for ``text`` (a note, or several), in order of position.

    Text in quotation marks is the speaker's own words and is not flagged. With
    ``markdown=True``, code spans and code blocks are skipped too. ``rules`` defaults
    to the shipped rules (see :func:`load_rules`). Empty text gives no findings;
    binary or undecodable input raises :class:`~snt_youth.errors.InvalidInput`.
    """
    from snt_youth.language import engine

    return engine.check(text, rules=rules, markdown=markdown)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load and validate a rule file (default: the shipped rules).

    A malformed file raises :class:`~snt_youth.errors.ContentError` naming the file,
    the rule and key, and the problem.
    """
    from snt_youth.language import rules

    return rules.load(path)


def explain(rule_id: str, *, rules: RuleSet | None = None) -> Rule:
    """The rule with this id (its explanation, suggestions and examples).

    ``rule.describe()`` gives it as plain text. An unknown id raises
    :class:`~snt_youth.errors.NotFound`.
    """
    ruleset = rules if rules is not None else load_rules()
    return ruleset.get(rule_id)


def __getattr__(name: str) -> Any:
    # Types and constants load on first use, keeping ``import snt_youth.language`` light.
    if name == "Finding":
        from snt_youth.language.engine import Finding

        return Finding
    if name in ("Rule", "RuleSet", "CATEGORIES"):
        from snt_youth.language import rules

        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
