"""``snt-youth review notes`` on the demo: the team summary's counts match the notes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import snt_youth
from snt_youth import demo, language
from snt_youth.cli import cli
from snt_youth.language import review


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('review') / 'demo.sqlite3'}"
    with snt_youth.open(url, user="test.champion") as book:
        demo.populate(book, n=60, seed=2)
    return url


def all_notes(url: str, team: str | None = None) -> list[object]:
    with snt_youth.open(url) as book:
        return [n for p in book.young_people(team=team) for n in book.notes(p.case_ref)]


def test_summary_counts_match_the_notes(demo_db: str) -> None:
    notes = all_notes(demo_db)
    assert notes, "the demo should hold case notes"
    by_hand = [language.check(n.text) for n in notes]  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["--db", demo_db, "review", "notes"])
    assert result.exit_code == 0, result.output
    assert f"Notes reviewed: {len(notes)}" in result.output
    assert f"Notes with wording to look at: {sum(1 for f in by_hand if f)}" in result.output
    assert f"Findings: {sum(len(f) for f in by_hand)}" in result.output
    # No case references or names in the summary.
    for note in notes:
        assert note.case_ref not in result.output  # type: ignore[attr-defined]


def test_csv_has_one_row_per_note_and_is_private(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "review.csv"
    result = CliRunner().invoke(
        cli, ["--db", demo_db, "review", "notes", "--team", "north", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == len(all_notes(demo_db, team="north"))
    assert out.stat().st_mode & 0o777 == 0o600


def test_unknown_output_format_is_one_line(demo_db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", demo_db, "review", "notes", "-o", str(tmp_path / "x.txt")]
    )
    assert result.exit_code == 2
    assert "Error:" in result.output and "Traceback" not in result.output


def test_markers_found_and_quoted_words_do_not_count() -> None:
    good = "Mr B hit Ms A. Ms A took the children to her sister's. Jay said he was scared."
    assert review.markers(good) == frozenset(review.MARKERS)
    assert review.markers('Jay said "he hit her"') == frozenset({"child-experience"})
    assert review.markers("Seen at the office.") == frozenset()
