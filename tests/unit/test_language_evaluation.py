"""The blind-set report: exact intervals, the table, and a set that holds one half only."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snt_youth.language import corpus, engine, evaluation

ALPHA = 0.025  # each tail of a 95% interval


def test_interval_ends_have_closed_forms_at_zero_and_all() -> None:
    # With no successes the upper end solves (1 - p)^n = alpha; with all, p^n = alpha.
    for n in (1, 7, 10, 134):
        lo, hi = evaluation.clopper_pearson(0, n)
        assert lo == 0.0 and hi == pytest.approx(1 - ALPHA ** (1 / n), abs=1e-9)
        lo, hi = evaluation.clopper_pearson(n, n)
        assert hi == 1.0 and lo == pytest.approx(ALPHA ** (1 / n), abs=1e-9)


def _tail_at_least(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


@settings(deadline=None)
@given(
    st.integers(min_value=1, max_value=60).flatmap(
        lambda n: st.tuples(st.integers(1, n - 1) if n > 1 else st.just(0), st.just(n))
    )
)
def test_interval_ends_leave_exactly_alpha_in_each_tail(case: tuple[int, int]) -> None:
    k, n = case
    lo, hi = evaluation.clopper_pearson(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    if 0 < k < n:
        # Exact: P(X >= k | lo) = alpha and P(X <= k | hi) = alpha, by exact sums here.
        assert _tail_at_least(k, n, lo) == pytest.approx(ALPHA, abs=1e-7)
        assert 1 - _tail_at_least(k + 1, n, hi) == pytest.approx(ALPHA, abs=1e-7)


def test_interval_is_symmetric_for_the_complement() -> None:
    lo, hi = evaluation.clopper_pearson(3, 17)
    lo2, hi2 = evaluation.clopper_pearson(14, 17)
    assert lo == pytest.approx(1 - hi2, abs=1e-9) and hi == pytest.approx(1 - lo2, abs=1e-9)


SENTENCES = [
    ("s1", "flag", "blames-survivor", "Mum failed to protect the children."),
    ("s2", "flag", "blames-survivor", "The weather was fine on Tuesday."),
    ("s3", "flag", "mutualises", "The parents are as bad as each other."),
    ("s4", "ok", "blames-survivor", "Mr B hit Ms A in front of the children."),
    ("s5", "ok", "plain", "Kai went to school."),
    ("s6", "ok", "mutualises", "There is conflict between the parents."),
]


def _write(path: Path, split: str) -> Path:
    parts = ['format = "snt-youth/language-blind-set"', "format_version = 1", ""]
    for sid, label, category, text in SENTENCES:
        parts += [
            "[[sentence]]",
            f'id = "{sid}"',
            f'text = "{text}"',
            f'label = "{label}"',
            f'category = "{category}"',
            'register = "case-note"',
            'why = "test"',
            f'split = "{split}"',
            "",
        ]
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def test_report_counts_each_half_by_category_against_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "dev_half.toml", "dev")
    code = corpus.main(["--split", "dev", "--blind-set", str(path)])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Blind set dev_half.toml, dev half"
    # The expected counts come from the check itself, sentence by sentence.
    flagged = {sid: bool(engine.check(text)) for sid, _, _, text in SENTENCES}
    for name in ("overall", "blames-survivor", "mutualises"):
        rows = [s for s in SENTENCES if name == "overall" or s[2] == name]
        flags = [s for s in rows if s[1] == "flag"]
        hits = sum(flagged[s[0]] for s in flags)
        (row,) = [line for line in lines if line.startswith(name + " ")]
        lo, hi = evaluation.clopper_pearson(hits, len(flags))
        assert f"({lo:.1%}–{hi:.1%}) {hits}/{len(flags)}" in row
    assert "Intervals are exact (Clopper–Pearson) 95% intervals." in out
    assert code == (0 if evaluation.evaluate(evaluation.load("dev", path)).meets_targets else 1)


def test_a_file_holding_one_half_refuses_the_other_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "dev_half.toml", "dev")
    assert corpus.main(["--split", "test", "--blind-set", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "has no test sentences" in captured.err


def test_the_test_half_is_never_listed_sentence_by_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "test_half.toml", "test")
    assert corpus.main(["--split", "test", "--blind-set", str(path), "--verbose"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "figures only" in captured.err
    assert corpus.main(["--split", "test", "--blind-set", str(path)]) in (0, 1)
    out = capsys.readouterr().out
    assert not any(text in out for _, _, _, text in SENTENCES)


@settings(deadline=None)
@given(
    st.integers(min_value=1, max_value=300).flatmap(
        lambda n: st.tuples(st.integers(0, n), st.just(n))
    )
)
def test_interval_agrees_with_the_beta_quantiles(case: tuple[int, int]) -> None:
    # Clopper–Pearson ends are beta quantiles: Beta(k, n-k+1) at alpha, Beta(k+1, n-k) at 1-alpha.
    from scipy.stats import beta

    k, n = case
    lo, hi = evaluation.clopper_pearson(k, n)
    assert lo == pytest.approx(0.0 if k == 0 else beta.ppf(ALPHA, k, n - k + 1), abs=1e-7)
    assert hi == pytest.approx(1.0 if k == n else beta.ppf(1 - ALPHA, k + 1, n - k), abs=1e-7)
