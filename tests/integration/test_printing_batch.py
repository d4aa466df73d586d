"""Worksheets for many young people at once: one guide, then each young person's pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.support.pdf import page_texts

from snt_youth.errors import InvalidInput
from snt_youth.model import MatrixEntry, Session, YoungPerson
from snt_youth.printing import worksheets
from snt_youth.printing.batch import BatchJob, guide_file_name, render_batch

MATRIX = "matrix:who-kept-me-safe"
JO = YoungPerson("YJ-0042", dt.date(2010, 5, 1), "north", known_as="Jo")
AL = YoungPerson("YJ-0043", dt.date(2011, 6, 2), "north")
SESSION = Session(
    id=7,
    case_ref="YJ-0042",
    held_on=dt.date(2026, 3, 3),
    facilitator="R. Ahmed",
    matrix_id="who-kept-me-safe",
    matrix_version="1.0",
    entries=(MatrixEntry("Mum", "safe", "Took me to Nan's"),),
    next_steps="Say thank you to Nan.",
)


def test_one_guide_and_each_young_persons_own_pages(tmp_path: Path) -> None:
    sheet = worksheets.find_worksheet(MATRIX)
    guide = tmp_path / guide_file_name(sheet)
    assert guide.name == "facilitator-guide-who-kept-me-safe.pdf"
    jobs = [BatchJob(JO, tmp_path / "jo.pdf", SESSION), BatchJob(AL, tmp_path / "al.pdf")]
    seen: list[str] = []
    results = render_batch(
        MATRIX, jobs, workers=1, guide=guide, progress=lambda r: seen.append(r.case_ref)
    )
    assert [r.case_ref for r in results] == ["YJ-0042", "YJ-0043"] == sorted(seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "al.pdf",
        "facilitator-guide-who-kept-me-safe.pdf",
        "jo.pdf",
    ]
    for job in jobs:
        texts = page_texts(job.out.read_bytes())
        assert all("OFFICIAL-SENSITIVE" in t and job.young_person.case_ref in t for t in texts)
        assert all("For the facilitator" not in t for t in texts)
    assert "Took" in " ".join(page_texts((tmp_path / "jo.pdf").read_bytes())).split()
    text = " ".join(page_texts(guide.read_bytes()))
    assert "For the facilitator" in text and "Questions for each column" in text
    assert "OFFICIAL-SENSITIVE" not in text
    assert "Jo" not in text.split()
    for personal in ("YJ-0042", "YJ-0043", "Took me", "R. Ahmed", "thank you to Nan"):
        assert personal not in text


def test_without_a_guide_everyone_gets_the_whole_worksheet(tmp_path: Path) -> None:
    out = tmp_path / "jo.pdf"
    render_batch(MATRIX, [BatchJob(JO, out, SESSION)], workers=1)
    texts = page_texts(out.read_bytes())
    assert any("For the facilitator" in t for t in texts)
    assert all("OFFICIAL-SENSITIVE" in t for t in texts)
    assert not list(tmp_path.glob("facilitator-guide-*"))


def test_a_guide_needs_facilitator_pages(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no facilitator pages"):
        render_batch(
            "safety-plan", [BatchJob(JO, tmp_path / "jo.pdf")], workers=1, guide=tmp_path / "g.pdf"
        )
