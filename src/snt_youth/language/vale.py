"""Export the phrase rules as a Vale style, for teams that write notes in other editors.

Each exportable rule becomes one Vale ``existence`` rule (YAML) whose ``tokens`` are
plain regular expressions with no look-arounds: Vale's default regex engine has none.
A pattern becomes words joined by ``\\s+``; ``[word]`` an optional group; ``*`` any
word; ``word+`` its listed forms; ``...N`` a bounded gap of words. Lemma matching
(``word~``) is exported as the word and its regular forms, which is close but not
exact. Rules that look at context (``requires``, ``unless``, ``unless_before``,
``unless_after``, ``skip_questions``) or use ``regex`` cannot be expressed without
look-arounds, so they are listed as not exported, with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from snt_youth.language import patterns
from snt_youth.language.patterns import Pattern, TokenSpec
from snt_youth.language.rules import CompiledRule, RuleSet

STYLE = "SntYouth"
_WORD_GAP = r"(?:['’]?[^\w.!?]+[\w'’]+)"


@attrs.frozen
class Export:
    """What an export wrote, and what it left out (rule id -> reason)."""

    written: tuple[str, ...]
    skipped: dict[str, str]


def _token(spec: TokenSpec) -> str:
    if spec.gap:
        return f"{_WORD_GAP}{{0,{spec.gap}}}"
    if spec.words is None:
        body = r"[\w'’]+'s" if spec.suffix else r"[\w'’]+"
    else:
        words = set(spec.words)
        for lemma in spec.lemmas:
            words |= patterns.inflect(lemma)
        body = (
            "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"
        )
    return body


def pattern_regex(pattern: Pattern) -> str:
    """One pattern as a look-around-free regular expression (case is set by the rule)."""
    out = r"\b"
    first = True
    for spec in pattern.specs:
        if spec.gap:
            out += _token(spec)
            continue
        piece = _token(spec) if first else r"['’]?[\s\-/]+" + _token(spec)
        out += f"(?:{piece})?" if spec.optional else piece
        first = False
    return out + r"\b"


def _why_not(comp: CompiledRule) -> str:
    rule = comp.rule
    for key in ("requires", "unless", "unless_before", "unless_after", "regex"):
        if getattr(rule, key):
            return f"uses {key}, which Vale cannot express without look-arounds"
    if rule.skip_questions:
        return "is silent in questions, which Vale cannot express"
    return ""


def _yaml_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def rule_yaml(comp: CompiledRule) -> str:
    """The Vale YAML for one exportable rule."""
    rule = comp.rule
    message = f"{rule.explanation} Try: {rule.suggestions[0]}"
    lines = [
        "extends: existence",
        f"message: {_yaml_string(message.replace('%', '%%'))}",
        "level: warning",
        "ignorecase: true",
        "nonword: true",
        "tokens:",
        *(f"  - {_yaml_string(pattern_regex(p))}" for p in comp.match),
    ]
    return "\n".join(lines) + "\n"


def vale_name(rule_id: str) -> str:
    """A Vale rule name (a file name) from a rule id: "a-rule" -> "ARule"."""
    return "".join(part.capitalize() for part in rule_id.split("-"))


def export(ruleset: RuleSet, folder: str | Path) -> Export:
    """Write ``folder/SntYouth/*.yml`` (privately) and a README listing what was left out."""
    from snt_youth.private_files import write_private

    style = Path(folder) / STYLE
    style.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    skipped: dict[str, str] = {}
    for comp in ruleset.compiled:
        reason = _why_not(comp)
        if reason:
            skipped[comp.rule.id] = reason
            continue
        name = vale_name(comp.rule.id)
        write_private(style / f"{name}.yml", rule_yaml(comp))
        written.append(name)
    notes = [
        f"# {STYLE}: recording-language rules from snt-youth",
        "",
        "Add to .vale.ini:  BasedOnStyles = " + STYLE,
        "",
        f"Exported: {len(written)} rules. Not exported ({len(skipped)}):",
        "",
        *(f"- {rule_id}: {why}" for rule_id, why in skipped.items()),
    ]
    write_private(style / "README.md", "\n".join(notes) + "\n")
    return Export(written=tuple(written), skipped=skipped)
