"""The blind evaluation set: precision, recall and false-positive rate, with exact intervals.

The set (``tests/data/language_blind/blind_set.toml``, in a checkout) was written by
someone who never saw the rules, and is frozen. Each sentence has a ``label``
(``flag``: a supervisor would send it back; ``ok``: sound wording), a ``category``
(for ``ok`` sentences, the category it is a near miss for, or ``plain``), and a
``split``: ``dev`` (the rules may be tuned against it) or ``test`` (only ever
reported as figures).

A sentence counts as flagged when the check finds anything in it. So:

- **recall** is the share of ``flag`` sentences flagged;
- **false-positive rate** is the share of ``ok`` sentences flagged;
- **precision** is the share of flagged sentences that are ``flag`` sentences.

By category, recall counts the ``flag`` sentences of that category, and the
false-positive rate the ``ok`` sentences written as near misses for it. Every figure
has an exact (Clopper–Pearson) 95% interval, so a small category shows how little
its figure says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from snt_youth import content
from snt_youth.errors import InvalidInput
from snt_youth.language import engine, rules

FORMAT = "snt-youth/language-blind-set"
FORMAT_VERSION = 1
SPLITS = ("dev", "test")
RECALL_TARGET = 0.90
FALSE_POSITIVE_TARGET = 0.05
CATEGORY_RECALL_TARGET = 0.80


@attrs.frozen
class Sentence:
    """One labelled sentence of the blind set."""

    id: str
    label: str  # "flag" or "ok"
    category: str
    register: str
    split: str
    text: str


_SENTENCE = content.Table(
    fields={
        "id": content.Text(),
        "label": content.Text(choices=("flag", "ok"), noun="label"),
        "category": content.Text(choices=(*rules.CATEGORIES, "plain"), noun="category"),
        "register": content.Text(),
        "why": content.Text(collapse=False),
        "split": content.Text(choices=SPLITS, noun="split"),
        "text": content.Text(collapse=False),
    }
)
_FILE = content.Table(
    fields={
        "format": content.FormatName(expected=FORMAT, what="a blind evaluation set"),
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        "written": content.Raw(default=None),
        "method": content.Text(collapse=False, default=""),
        "sentence": content.ListOf(item=_SENTENCE, min_items=1, unique="id", noun="sentence"),
    }
)


def default_path() -> Path:
    """The blind set in a checkout of the repository (it is not shipped in the wheel)."""
    from snt_youth import locations

    return (
        locations.PACKAGE_DIR.parent.parent
        / "tests"
        / "data"
        / "language_blind"
        / ("blind_set.toml")
    )


def load(split: str, path: str | Path | None = None) -> list[Sentence]:
    """The sentences of one half (``dev`` or ``test``) of a blind set.

    Only the half asked for is returned, so tuning code that asks for ``dev`` never
    holds a test sentence. A file may hold one half only (a development half handed
    out on its own); asking it for the other half raises
    :class:`~snt_youth.errors.InvalidInput`, saying so.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    chosen = Path(path) if path is not None else default_path()
    document = content.read_file(
        chosen, "toml", missing="file not found; give the path to the blind set"
    )
    values = _FILE.check(document.data, document.at)
    chosen_half = [
        Sentence(
            id=entry["id"],
            label=entry["label"],
            category=entry["category"],
            register=entry["register"],
            split=entry["split"],
            text=entry["text"],
        )
        for entry in values["sentence"]
        if entry["split"] == split
    ]
    if not chosen_half:
        raise InvalidInput(
            f"{chosen} has no {split} sentences; give a blind set that holds the {split} half."
        )
    return chosen_half


# --- exact binomial intervals ---------------------------------------------------------


def _binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed exactly term by term."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k + 1):
        log_term = (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * log_p
            + (n - i) * log_q
        )
        total += math.exp(log_term)
    return min(total, 1.0)


def _solve(target: float, k: int, n: int) -> float:
    """The p at which P(X <= k) equals ``target`` (the CDF falls as p rises)."""
    lo, hi = 0.0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if _binomial_cdf(k, n, mid) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval for a proportion ``successes / trials``.

    The lower end is the p at which ``successes`` or more would happen with
    probability (1 - confidence) / 2; the upper end, ``successes`` or fewer. With no
    trials the interval is the whole of [0, 1].
    """
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and trials")
    if trials == 0:
        return 0.0, 1.0
    alpha = (1 - confidence) / 2
    lower = 0.0 if successes == 0 else _solve(1 - alpha, successes - 1, trials)
    upper = 1.0 if successes == trials else _solve(alpha, successes, trials)
    return lower, upper


# --- measuring ------------------------------------------------------------------------


@attrs.frozen
class Rate:
    """A proportion with its exact 95% interval."""

    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return clopper_pearson(self.hits, self.total)

    def show(self) -> str:
        if not self.total:
            return "-"
        lo, hi = self.interval
        return f"{self.value:6.1%} ({lo:.1%}–{hi:.1%}) {self.hits}/{self.total}"


@attrs.frozen
class Figures:
    """Counts for one group of sentences: flag sentences flagged, ok sentences flagged."""

    true_positives: int
    flag_total: int
    false_positives: int
    ok_total: int

    @property
    def recall(self) -> Rate:
        return Rate(self.true_positives, self.flag_total)

    @property
    def false_positive_rate(self) -> Rate:
        return Rate(self.false_positives, self.ok_total)

    @property
    def precision(self) -> Rate:
        return Rate(self.true_positives, self.true_positives + self.false_positives)


@attrs.frozen
class Evaluation:
    """The check's figures on one half of the blind set."""

    split: str
    overall: Figures
    by_category: dict[str, Figures]
    missed: tuple[Sentence, ...] = attrs.field(repr=False)
    false_alarms: tuple[tuple[Sentence, tuple[str, ...]], ...] = attrs.field(repr=False)

    @property
    def meets_targets(self) -> bool:
        """Recall ≥ 90%, false positives ≤ 5%, and no category's recall under 80%."""
        return (
            self.overall.recall.value >= RECALL_TARGET
            and self.overall.false_positive_rate.value <= FALSE_POSITIVE_TARGET
            and all(
                f.recall.value >= CATEGORY_RECALL_TARGET
                for f in self.by_category.values()
                if f.flag_total
            )
        )

    def table(self, name: str = "") -> str:
        """The figures as a fixed-width table (counts and rates, never sentences).

        ``name`` (the file's name, say) goes in the title, so two sets' tables are
        not confused.
        """
        header = f"{'':18} {'recall':30} {'false positives':30} {'precision':30}"
        title = f"Blind set {name}, {self.split} half" if name else f"Blind set, {self.split} half"
        lines = [title, header]

        def row(name: str, f: Figures) -> str:
            return (
                f"{name:18} {f.recall.show():30} {f.false_positive_rate.show():30} "
                f"{f.precision.show():30}"
            ).rstrip()

        lines.append(row("overall", self.overall))
        for name, f in self.by_category.items():
            lines.append(row(name, f))
        lines.append(
            f"Targets: recall at least {RECALL_TARGET:.0%}, false positives at most "
            f"{FALSE_POSITIVE_TARGET:.0%}, no category's recall under "
            f"{CATEGORY_RECALL_TARGET:.0%}: {'met' if self.meets_targets else 'not met'}."
        )
        lines.append("Intervals are exact (Clopper–Pearson) 95% intervals.")
        return "\n".join(lines)


def _count(sentences: Iterable[tuple[Sentence, bool]]) -> Figures:
    tp = fl = fp = ok = 0
    for sentence, flagged in sentences:
        if sentence.label == "flag":
            fl += 1
            tp += flagged
        else:
            ok += 1
            fp += flagged
    return Figures(tp, fl, fp, ok)


def evaluate(sentences: Sequence[Sentence], ruleset: rules.RuleSet | None = None) -> Evaluation:
    """Run the check over one half of the blind set and count."""
    ruleset = ruleset if ruleset is not None else rules.load()
    outcomes: list[tuple[Sentence, bool]] = []
    missed: list[Sentence] = []
    false_alarms: list[tuple[Sentence, tuple[str, ...]]] = []
    for sentence in sentences:
        findings = engine.check(sentence.text, rules=ruleset)
        outcomes.append((sentence, bool(findings)))
        if sentence.label == "flag" and not findings:
            missed.append(sentence)
        elif sentence.label == "ok" and findings:
            false_alarms.append((sentence, tuple(f.rule_id for f in findings)))
    categories = [*rules.CATEGORIES, "plain"]
    by_category = {
        name: _count(o for o in outcomes if o[0].category == name) for name in categories
    }
    return Evaluation(
        split=sentences[0].split if sentences else "",
        overall=_count(outcomes),
        by_category={k: v for k, v in by_category.items() if v.flag_total or v.ok_total},
        missed=tuple(missed),
        false_alarms=tuple(false_alarms),
    )
