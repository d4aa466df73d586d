"""Measure the check against a corpus of example sentences, and report the figures.

The corpus is a TOML file with two lists: ``should_flag`` (wording that blames a
survivor or child, hides who caused harm, mutualises, minimises or labels a child)
and ``should_pass`` (good-practice wording). The target is to flag at least 90% of
the first list and at most 5% of the second. Run::

    python -m snt_youth.language.corpus [CORPUS.toml] [--rules FILE] [--verbose]

From a checkout, with no corpus named, it reports ``tests/data/language_corpus.toml``
(the corpus the rules were developed against) and ``language_corpus_holdout.toml``
(sentences written afterwards and never used for tuning).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import attrs

from snt_youth import content
from snt_youth.errors import SntError
from snt_youth.language import engine, rules

FORMAT = "snt-youth-language-corpus"
FORMAT_VERSION = 1
FLAG_TARGET = 0.90
PASS_TARGET = 0.05


@attrs.frozen
class CorpusResult:
    """How the check did on a corpus."""

    flag_total: int
    flagged: tuple[str, ...]
    missed: tuple[str, ...]
    pass_total: int
    false_alarms: tuple[tuple[str, tuple[str, ...]], ...]  # sentence, rule ids

    @property
    def flag_rate(self) -> float:
        """Share of ``should_flag`` sentences flagged (target: 0.90 or more)."""
        return len(self.flagged) / self.flag_total if self.flag_total else 0.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of ``should_pass`` sentences flagged (target: 0.05 or less)."""
        return len(self.false_alarms) / self.pass_total if self.pass_total else 0.0

    @property
    def meets_targets(self) -> bool:
        return self.flag_rate >= FLAG_TARGET and self.false_alarm_rate <= PASS_TARGET

    def summary(self) -> str:
        """The two figures in one line, for docs and release notes."""
        return (
            f"flags {len(self.flagged)} of {self.flag_total} blaming or mutualising "
            f"sentences ({self.flag_rate:.0%}; target at least {FLAG_TARGET:.0%}) and "
            f"{len(self.false_alarms)} of {self.pass_total} good-practice sentences "
            f"({self.false_alarm_rate:.0%}; target at most {PASS_TARGET:.0%})"
        )


def default_path(name: str = "language_corpus.toml") -> Path:
    """A corpus in a checkout of the repository (corpora are not shipped in the wheel)."""
    from snt_youth import locations

    return locations.PACKAGE_DIR.parent.parent / "tests" / "data" / name


HOLDOUT = "language_corpus_holdout.toml"


_SENTENCES = content.ListOf(item=content.Text(collapse=False, strip=False))
_FILE = content.Table(
    fields={
        "format": content.FormatName(expected=FORMAT, what="a language corpus"),
        "format_version": content.FormatVersion(current=FORMAT_VERSION),
        "should_flag": _SENTENCES,
        "should_pass": _SENTENCES,
    }
)


def load(path: str | Path | None = None) -> tuple[list[str], list[str]]:
    """The ``should_flag`` and ``should_pass`` sentences of a corpus file."""
    chosen = Path(path) if path is not None else default_path()
    document = content.read_file(
        chosen, "toml", missing="file not found; give the path to a corpus file"
    )
    values = _FILE.check(document.data, document.at)
    return list(values["should_flag"]), list(values["should_pass"])


def measure(
    path: str | Path | None = None, *, ruleset: rules.RuleSet | None = None
) -> CorpusResult:
    """Run the check over a corpus and count hits and false alarms."""
    should_flag, should_pass = load(path)
    ruleset = ruleset if ruleset is not None else rules.load()
    flagged: list[str] = []
    missed: list[str] = []
    for sentence in should_flag:
        (flagged if engine.check(sentence, rules=ruleset) else missed).append(sentence)
    false_alarms: list[tuple[str, tuple[str, ...]]] = []
    for sentence in should_pass:
        findings = engine.check(sentence, rules=ruleset)
        if findings:
            false_alarms.append((sentence, tuple(f.rule_id for f in findings)))
    return CorpusResult(
        flag_total=len(should_flag),
        flagged=tuple(flagged),
        missed=tuple(missed),
        pass_total=len(should_pass),
        false_alarms=tuple(false_alarms),
    )


def main(argv: list[str] | None = None) -> int:
    """Print the corpus figures; exit 0 when both targets are met, 1 when not, 2 on error."""
    parser = argparse.ArgumentParser(
        prog="python -m snt_youth.language.corpus",
        description="Report how the recording-language check does on a corpus.",
    )
    parser.add_argument("corpus", nargs="?", help="corpus TOML (default: the repository's)")
    parser.add_argument("--rules", help="rule file (default: the shipped rules)")
    parser.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    parser.add_argument(
        "--split",
        choices=("dev", "test"),
        help="report one half of the blind set (tests/data/language_blind) as a table",
    )
    parser.add_argument(
        "--blind-set",
        help="blind set TOML (default: the repository's); a file may hold one half only",
    )
    args = parser.parse_args(argv)
    if args.split:
        return _report_blind(args)
    if args.corpus:
        corpora = [("corpus", Path(args.corpus))]
    else:
        corpora = [("main corpus", default_path()), ("held-out corpus", default_path(HOLDOUT))]
    ok = True
    try:
        ruleset = rules.load(args.rules) if args.rules else rules.load()
        for label, path in corpora:
            if label.startswith("held-out") and not path.exists():
                continue
            result = measure(path, ruleset=ruleset)
            ok = ok and result.meets_targets
            print(f"{label} ({path.name}): the check {result.summary()}.")
            if args.verbose:
                for sentence in result.missed:
                    print(f"  missed: {sentence}")
                for sentence, ids in result.false_alarms:
                    print(f"  false alarm ({', '.join(ids)}): {sentence}")
    except SntError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    return 0 if ok else 1


def _report_blind(args: argparse.Namespace) -> int:
    """Print the blind-set table for one half; the test half only ever as figures."""
    from snt_youth.language import evaluation

    if args.verbose and args.split == "test":
        print(
            "Error: the test half is reported as figures only; use --verbose with --split dev.",
            file=sys.stderr,
        )
        return 2
    try:
        ruleset = rules.load(args.rules) if args.rules else rules.load()
        result = evaluation.evaluate(evaluation.load(args.split, args.blind_set), ruleset)
    except SntError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(result.table(Path(args.blind_set).name if args.blind_set else ""))
    if args.verbose:
        for sentence in result.missed:
            print(f"  missed [{sentence.category}] {sentence.id}: {sentence.text}")
        for sentence, ids in result.false_alarms:
            print(f"  false alarm ({', '.join(ids)}) {sentence.id}: {sentence.text}")
    return 0 if result.meets_targets else 1


if __name__ == "__main__":
    sys.exit(main())
