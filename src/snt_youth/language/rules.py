"""Language rules: loading and validating the rule file (TOML).

The shipped rules are ``snt_youth/data/language_rules.toml``; a service may use its own
file with the same layout (``lint-notes --rules FILE``). A file looks like::

    format_version = 1

    [[rule]]
    id = "failure-to-protect"
    category = "blames-survivor"
    match = ["fail+ to protect", "failure to protect"]
    explanation = "One sentence: why this wording is a problem."
    suggestions = ["A better way to write it."]
    flags = ["A sentence the rule must flag."]
    passes = ["A sentence the rule must not flag."]

Optional keys narrow a rule down (all are lists of patterns, see
:mod:`snt_youth.language.patterns`):

- ``regex``: regular expressions, for the rare wording that patterns cannot express;
- ``requires``: at least one must occur within ``window`` words (default 15), in the
  same paragraph;
- ``unless``: the rule is silent if any occurs within ``window`` words;
- ``unless_before`` / ``unless_after``: the rule is silent if any occurs within
  ``before_window`` / ``after_window`` words (default 3) before or after the match,
  in the same sentence;
- ``skip_questions = true``: the rule is silent in a sentence that ends with "?", for
  wording that is fine when asking (questions to a young person) but not when recording;
- ``frame = true``: the rule is a frame, for a family of wording (patterns with gaps
  ``...`` and word classes ``@name``); where a phrase rule matches overlapping words,
  the phrase rule's finding is shown instead.

A top-level ``[words]`` table names word classes for frames: ``survivor = ["mum",
"mother", "she"]`` lets a pattern write ``@survivor``.

Loading (through :mod:`snt_youth.content`) checks every key and every example, and
stops at the first problem with a message naming the file, the rule (with its line)
and the key. Nothing is half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from snt_youth import content
from snt_youth.errors import NotFound
from snt_youth.language import patterns
from snt_youth.language.patterns import Pattern, PatternError

FORMAT_VERSION = 1

CATEGORIES: dict[str, str] = {
    "blames-survivor": "makes the survivor or the child responsible for the harm",
    "hides-perpetrator": "describes harm without saying who caused it",
    "mutualises": "makes abuse sound shared, as if both people did it",
    "minimises": "makes the harm sound smaller, rarer or less deliberate than it is",
    "labels-child": "labels the child instead of describing what happened",
}

_ID = content.IDENT
_LIST_KEYS = (
    "match",
    "regex",
    "suggestions",
    "flags",
    "passes",
    "requires",
    "unless",
    "unless_before",
    "unless_after",
)
_INT_KEYS = ("window", "before_window", "after_window")


@attrs.frozen
class Rule:
    """One language rule, as written in the rule file."""

    id: str
    category: str
    explanation: str
    suggestions: tuple[str, ...]
    match: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    unless_before: tuple[str, ...] = ()
    unless_after: tuple[str, ...] = ()
    window: int = 15
    before_window: int = 3
    after_window: int = 3
    skip_questions: bool = False
    # A frame covers a family of wording; where a phrase rule matches the same words,
    # the phrase rule's more specific advice is shown instead.
    frame: bool = False
    flags: tuple[str, ...] = ()
    passes: tuple[str, ...] = ()

    @property
    def category_meaning(self) -> str:
        """What the rule's category means, in words."""
        return CATEGORIES[self.category]

    def describe(self) -> str:
        """The rule as a few lines of plain text, for ``lint-notes --explain``."""
        lines = [
            f"{self.id}  ({self.category}: {self.category_meaning})",
            "",
            f"Why: {self.explanation}",
            "",
            "Try instead:",
            *(f"  → {s}" for s in self.suggestions),
        ]
        if self.flags:
            lines += ["", "Flags, for example:", *(f"  {s}" for s in self.flags)]
        if self.passes:
            lines += ["", "Does not flag, for example:", *(f"  {s}" for s in self.passes)]
        return "\n".join(lines)


@attrs.frozen
class CompiledRule:
    """A rule with its patterns parsed and expressions compiled, ready for the engine."""

    rule: Rule
    match: tuple[Pattern, ...]
    regex: tuple[re.Pattern[str], ...]
    requires: tuple[Pattern, ...]
    unless: tuple[Pattern, ...]
    unless_before: tuple[Pattern, ...]
    unless_after: tuple[Pattern, ...]


@attrs.frozen(eq=False)
class RuleSet:
    """A validated, compiled set of rules, and the file it came from."""

    source: str
    rules: tuple[Rule, ...]
    compiled: tuple[CompiledRule, ...] = attrs.field(repr=False)
    # first word -> (rule index, pattern) pairs; built once, used for every check
    index: dict[str, tuple[tuple[int, Pattern], ...]] = attrs.field(repr=False)
    # the same, by lemma, for positions written ``word~``, ``word+`` or ``@class``
    lemma_index: dict[str, tuple[tuple[int, Pattern], ...]] = attrs.field(repr=False, factory=dict)
    # the word classes of the file's ``[words]`` table, as written
    words: dict[str, tuple[str, ...]] = attrs.field(repr=False, factory=dict)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id, or :class:`NotFound` naming the known ids."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise NotFound(
            f"There is no language rule {rule_id!r} in {self.source}. "
            "Run 'snt-youth lint-notes --list-rules' to see the rule ids."
        )


def default_path() -> Path:
    """The shipped rule file."""
    from snt_youth import locations

    return locations.DATA_DIR / "language_rules.toml"


def load(path: str | Path | None = None) -> RuleSet:
    """Load and validate a rule file (default: the shipped rules); reused until it changes.

    A service's own file also has every rule's examples checked, so a rule that does
    not flag its own ``flags`` examples is reported at once. The shipped file's
    examples are checked by the test suite instead, to keep start-up quick.
    """
    chosen = Path(path) if path is not None else default_path()
    check_examples = chosen.resolve() != default_path().resolve()
    loader = _read_checked if check_examples else _read
    return content.cached(chosen, loader)


def _read(path: Path) -> RuleSet:
    document = content.read_file(
        path, "toml", missing="file not found; check the path to the rule file"
    )
    return _build_set(document, check_examples=False)


def _read_checked(path: Path) -> RuleSet:
    document = content.read_file(
        path, "toml", missing="file not found; check the path to the rule file"
    )
    return _build_set(document, check_examples=True)


def parse(text: str, path: str = "<rules>", *, check_examples: bool = True) -> RuleSet:
    """Parse and validate rule-file text. ``path`` is used in error messages."""
    return _build_set(content.parse_toml(text, path), check_examples=check_examples)


# --- the file, declared --------------------------------------------------------------

_PATTERNS = content.ListOf(item=content.Text(collapse=False), default=())
_WINDOW = content.Integer(minimum=1, maximum=100, default=None)
_RULE = content.Table(
    fields={
        "id": content.ident(
            _ID, "use lower-case words joined by hyphens, like 'failure-to-protect'"
        ),
        "category": content.Text(choices=tuple(CATEGORIES), noun="category"),
        "explanation": content.Text(collapse=False),
        **{key: _PATTERNS for key in _LIST_KEYS},
        **{key: _WINDOW for key in _INT_KEYS},
        "skip_questions": content.Boolean(default=False),
        "frame": content.Boolean(default=False),
    }
)
_CLASS_NAME = re.compile(r"[a-z][a-z0-9-]*")
_FILE = content.Table(
    fields={
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        # Word classes for frames: name -> single words, used in patterns as @name.
        "words": content.Raw(default=None, what="a table of word classes"),
        "rule": content.ListOf(
            item=_RULE,
            min_items=1,
            unique="id",
            noun="rule",
            missing="no rules found; add at least one [[rule]] table",
        ),
    }
)


def _word_classes(
    raw: object, at: content.At
) -> tuple[dict[str, tuple[str, ...]], dict[str, patterns.TokenSpec]]:
    """The ``[words]`` table: each key a class name, each value a list of single words."""
    if raw is None:
        return {}, {}
    if not isinstance(raw, dict):
        at.fail(f"should be a table of word classes, not {at.describe(raw)}")
    written: dict[str, tuple[str, ...]] = {}
    specs: dict[str, patterns.TokenSpec] = {}
    item = content.ListOf(item=content.Text(), min_items=1, noun="word")
    for name, value in raw.items():
        if not _CLASS_NAME.fullmatch(name):
            # Named at the table, not as a key: a key may hold a line break.
            at.fail(
                f"{name!r} is not a usable class name; use lower-case words joined by "
                "hyphens, like 'survivor'"
            )
        where = at.key(name)
        pieces = item.check(value, where)
        try:
            specs[name] = patterns.word_class(name, pieces)
        except PatternError as exc:
            where.fail(str(exc))
        written[name] = tuple(pieces)
    return written, specs


_Index = dict[str, tuple[tuple[int, Pattern], ...]]


def _indexes(compiled: Sequence[CompiledRule]) -> tuple[_Index, _Index]:
    """Each rule's patterns by their anchor words, and by their anchor lemmas."""
    index: dict[str, list[tuple[int, Pattern]]] = {}
    lemma_index: dict[str, list[tuple[int, Pattern]]] = {}
    for n, comp in enumerate(compiled):
        for pattern in comp.match:
            for word in pattern.anchors:
                index.setdefault(word, []).append((n, pattern))
            for word in pattern.anchor_lemmas:
                lemma_index.setdefault(word, []).append((n, pattern))
    return (
        {word: tuple(pairs) for word, pairs in index.items()},
        {word: tuple(pairs) for word, pairs in lemma_index.items()},
    )


def _build_set(document: content.Document, *, check_examples: bool) -> RuleSet:
    values = _FILE.check(document.data, document.at)
    written, classes = _word_classes(values["words"], document.at.key("words"))
    rules: list[Rule] = []
    compiled: list[CompiledRule] = []
    for entry in values["rule"]:
        rule, comp = _build(entry, classes)
        rules.append(rule)
        compiled.append(comp)
    index, lemma_index = _indexes(compiled)
    ruleset = RuleSet(
        source=document.source,
        rules=tuple(rules),
        compiled=tuple(compiled),
        index=index,
        lemma_index=lemma_index,
        words=written,
    )
    if check_examples:
        _check_examples(ruleset, document.at.key("rule"))
    return ruleset


def _build(
    entry: content.Values, classes: dict[str, patterns.TokenSpec]
) -> tuple[Rule, CompiledRule]:
    at = entry.at
    values = {key: value for key, value in entry.items() if value is not None}
    if not values["match"] and not values["regex"]:
        at.key("match").fail("a rule needs at least one pattern in match (or regex)")
    if not values["suggestions"]:
        at.key("suggestions").fail("give at least one suggested rewrite")
    if not values["flags"]:
        at.key("flags").fail("give at least one example sentence the rule must flag")
    if not values["passes"]:
        at.key("passes").fail("give at least one example sentence the rule must not flag")
    rule = Rule(**values)

    def compile_patterns(key: str) -> tuple[Pattern, ...]:
        out: list[Pattern] = []
        for source in getattr(rule, key):
            try:
                out.append(patterns.parse(source, anchored=key == "match", classes=classes))
            except PatternError as exc:
                at.key(key).fail(str(exc))
        return tuple(out)

    regexes: list[re.Pattern[str]] = []
    for source in rule.regex:
        try:
            compiled = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            at.key("regex").fail(f"{source!r} is not a valid regular expression ({exc})")
        if compiled.match(""):
            at.key("regex").fail(f"{source!r} matches empty text; it must match at least one word")
        regexes.append(compiled)
    comp = CompiledRule(
        rule=rule,
        match=compile_patterns("match"),
        regex=tuple(regexes),
        requires=compile_patterns("requires"),
        unless=compile_patterns("unless"),
        unless_before=compile_patterns("unless_before"),
        unless_after=compile_patterns("unless_after"),
    )
    return rule, comp


def example_problems(ruleset: RuleSet, rule: Rule) -> list[str]:
    """What is wrong with a rule's own examples (empty when they behave).

    The rule is tried on its own, so a longer match by another rule (which the check
    would show instead) does not hide whether this rule does its job.
    """
    from snt_youth.language.engine import check

    comp = ruleset.compiled[ruleset.rules.index(rule)]
    index, lemma_index = _indexes((comp,))
    ruleset = RuleSet(
        source=ruleset.source,
        rules=(rule,),
        compiled=(comp,),
        index=index,
        lemma_index=lemma_index,
        words=ruleset.words,
    )
    problems: list[str] = []
    for sentence in rule.flags:
        if not any(f.rule_id == rule.id for f in check(sentence, rules=ruleset)):
            problems.append(f"the flags example {sentence!r} is not flagged by this rule")
    for sentence in rule.passes:
        if any(f.rule_id == rule.id for f in check(sentence, rules=ruleset)):
            problems.append(f"the passes example {sentence!r} is flagged by this rule")
    return problems


def _check_examples(ruleset: RuleSet, at: content.At) -> None:
    for n, rule in enumerate(ruleset.rules):
        problems = example_problems(ruleset, rule)
        if problems:
            key = "flags" if "flags example" in problems[0] else "passes"
            at.item(n).key(key).fail(problems[0])
