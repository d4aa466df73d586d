"""The worksheet commands, against a real SQLite casebook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from tests.support.pdf import page_texts

import snt_youth
from snt_youth.cli import cli
from snt_youth.model import MatrixEntry


def _book(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'book.sqlite3'}"
    with snt_youth.open(url, user="test.officer") as book:
        book.add_young_person("YJ-1", dt.date(2010, 1, 1), "north", known_as="Al")
        book.add_young_person("YJ-2", dt.date(2011, 1, 1), "north", language="cy")
        book.add_young_person("YJ-3", dt.date(2009, 1, 1), "south", known_as="Bo")
        book.record_session(
            "YJ-1",
            "who-kept-me-safe",
            [MatrixEntry("Mum", "safe", "She took me to the park <when> it got loud")],
            held_on=dt.date.today(),
        )
    return url


def test_list() -> None:
    result = CliRunner().invoke(cli, ["worksheet", "list"])
    assert result.exit_code == 0, result.output
    assert "safety-plan" in result.output and "matrix:who-kept-me-safe" in result.output


def test_render_blank_and_prefilled(tmp_path: Path) -> None:
    url = _book(tmp_path)
    runner = CliRunner()
    blank = tmp_path / "blank.pdf"
    result = runner.invoke(cli, ["worksheet", "render", "safety-plan", "-o", str(blank)])
    assert result.exit_code == 0, result.output
    assert all("OFFICIAL-SENSITIVE" not in t for t in page_texts(blank.read_bytes()))

    filled = tmp_path / "filled.pdf"
    result = runner.invoke(
        cli,
        [
            "--db",
            url,
            "worksheet",
            "render",
            "matrix:who-kept-me-safe",
            "--young-person",
            "YJ-1",
            "-o",
            str(filled),
            "--cream",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Prefilled from the session" in result.output
    texts = page_texts(filled.read_bytes())
    assert all("OFFICIAL-SENSITIVE" in t for t in texts)
    assert "<when>" in " ".join(texts)


def test_render_html_and_welsh_notice(tmp_path: Path) -> None:
    url = _book(tmp_path)
    out = tmp_path / "plan.html"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            url,
            "worksheet",
            "render",
            "safety-plan",
            "--young-person",
            "YJ-2",
            "--format",
            "html",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Welsh" in result.output
    assert "YJ-2" in out.read_text(encoding="utf-8")


def test_unknown_worksheet_and_person_fail_cleanly(tmp_path: Path) -> None:
    url = _book(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["worksheet", "render", "nope"])
    assert result.exit_code == 2 and "Error:" in result.output and "Traceback" not in result.output
    result = runner.invoke(
        cli, ["--db", url, "worksheet", "render", "safety-plan", "--young-person", "YJ-404"]
    )
    assert result.exit_code == 2 and "Error:" in result.output


def test_batch_one_pdf_per_young_person(tmp_path: Path) -> None:
    url = _book(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            url,
            "worksheet",
            "batch",
            "matrix:who-kept-me-safe",
            "--team",
            "north",
            "--out",
            str(out),
            "--workers",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "facilitator-guide-who-kept-me-safe.pdf" in result.output
    files = sorted(p.name for p in out.glob("*.pdf"))
    assert files == [
        "facilitator-guide-who-kept-me-safe.pdf",
        "matrix-who-kept-me-safe-YJ-1.pdf",
        "matrix-who-kept-me-safe-YJ-2.pdf",
    ]
    # Each young person gets their own pages, marked, without the facilitator's.
    for ref, name in (("YJ-1", files[1]), ("YJ-2", files[2])):
        texts = page_texts((out / name).read_bytes())
        assert all("OFFICIAL-SENSITIVE" in t and ref in t for t in texts)
        assert all("For the facilitator" not in t for t in texts)
    assert "park" in " ".join(page_texts((out / files[1]).read_bytes()))
    # The facilitator's pages come once, the same for everyone: no personal data, no marking.
    guide = " ".join(page_texts((out / files[0]).read_bytes()))
    assert "For the facilitator" in guide and "Questions for each column" in guide
    assert "OFFICIAL-SENSITIVE" not in guide
    assert "YJ-" not in guide and "Al" not in guide.split() and "park" not in guide


def test_render_without_the_facilitator_pages(tmp_path: Path) -> None:
    url = _book(tmp_path)
    out = tmp_path / "own.pdf"
    args = ["--db", url, "worksheet", "render", "matrix:who-kept-me-safe"]
    result = CliRunner().invoke(
        cli, [*args, "--young-person", "YJ-1", "--no-facilitator", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    texts = page_texts(out.read_bytes())
    assert all("OFFICIAL-SENSITIVE" in t for t in texts)
    assert "park" in " ".join(texts) and "For the facilitator" not in " ".join(texts)
