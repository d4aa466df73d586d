"""report pack, report audit and report releases, end to end on demo data."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import snt_youth
from snt_youth import demo
from snt_youth.cli import cli


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('pack') / 'demo.sqlite3'}"
    with snt_youth.open(url, user="test.manager") as book:
        demo.populate(book, n=90, seed=4)
    return url


def busiest(url: str) -> str:
    with snt_youth.open(url) as book:
        sizes = {
            q: book.quarterly_report(q, unsuppressed=True, audit=False)
            .headline.total.cell("screened")
            .value
            or 0
            for q in book.quarters_with_data()
        }
    return str(max(sizes, key=lambda q: sizes[q]))


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_pack_writes_every_report_privately_passes_its_own_audit_and_is_released(
    demo_db: str, tmp_path: Path
) -> None:
    quarter = busiest(demo_db)
    folder = tmp_path / "pack"
    result = run("--db", demo_db, "report", "pack", "--quarter", quarter, "-o", str(folder))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "0 disclosed" in result.output  # type: ignore[attr-defined]
    names = sorted(p.name for p in folder.iterdir())
    with snt_youth.open(demo_db) as book:
        teams = [t.id for t in book.config.teams]
        releases = book.releases(quarter)
    slug = quarter.lower().replace(" ", "-")
    assert names == sorted(
        f"{slug}-{who}.{fmt}"
        for who in ["service", *teams]
        for fmt in ("csv", "json", "pdf", "xlsx")
    )
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    audited = run("report", "audit", *map(str, sorted(folder.glob("*.json"))))
    assert audited.exit_code == 0, audited.output  # type: ignore[attr-defined]
    assert len(releases) == 1 and releases[0].reports == 1 + len(teams)
    listed = run("--db", demo_db, "report", "releases")
    assert quarter in listed.output  # type: ignore[attr-defined]
    # The XLSX and the JSON carry the same figures.
    data = json.loads((folder / f"{slug}-service.json").read_text())
    sheet = openpyxl.load_workbook(folder / f"{slug}-service.xlsx")["Summary"]
    values = [sheet.cell(row=r, column=2).value for r in range(1, sheet.max_row + 1)]
    screened = data["tables"][0]["rows"][0]["cells"]["screened"]
    assert (screened["value"] if not screened["suppressed"] else "[c]") in values


def test_audit_names_the_cell_of_an_under_suppressed_set(tmp_path: Path) -> None:
    """Reports protected one at a time (as before) are given away when read together."""
    demo_db = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"  # no release to reuse
    with snt_youth.open(demo_db, user="test.manager") as book:
        demo.populate(book, n=90, seed=4)
    quarter = busiest(demo_db)
    with snt_youth.open(demo_db) as book:
        teams = [t.id for t in book.config.teams]
    files = []
    for team in [None, *teams]:
        out = tmp_path / f"{team or 'service'}.json"
        extra = ["--team", team] if team else []
        result = run(
            "--db", demo_db, "report", "quarterly", "--quarter", quarter, *extra, "-o", str(out)
        )
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        files.append(str(out))
    audited = run("report", "audit", *files)
    assert audited.exit_code == 1, audited.output  # type: ignore[attr-defined]
    assert "Disclosed: " in audited.output  # type: ignore[attr-defined]
    assert f"{quarter} as at" in audited.output  # type: ignore[attr-defined]


def test_audit_of_a_file_that_is_not_json_is_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("not json")
    result = run("report", "audit", str(bad))
    assert result.exit_code == 2
    assert "Error: Cannot read" in result.output  # type: ignore[attr-defined]


def test_a_later_report_hides_what_the_release_hid(demo_db: str, tmp_path: Path) -> None:
    quarter = busiest(demo_db)
    with snt_youth.open(demo_db) as book:
        released = book.releases(quarter)[-1] if book.releases(quarter) else None
    if released is None:
        run("--db", demo_db, "report", "pack", "--quarter", quarter, "-o", str(tmp_path / "p"))
        with snt_youth.open(demo_db) as book:
            released = book.releases(quarter)[-1]
    with snt_youth.open(demo_db) as book:
        report = book.quarterly_report(quarter)
    service_hidden = {k for k in released.suppressed if k[2] == "service" and k[0] == quarter}
    for key in service_hidden:
        _q, _d, _who, table, group, measure = key
        for t in report.tables:
            for row in t.rows:
                if (t.id == table and row.group == group) or (table == "all" and row.is_total):
                    cell = row.cell(measure) if measure in t.measures else None
                    assert cell is None or cell.value in (None, 0), (key, cell)


def test_text_that_looks_like_a_formula_stays_text(demo_db: str, tmp_path: Path) -> None:
    import attrs

    from snt_youth.tracking import exports

    with snt_youth.open(demo_db) as book:
        report = book.quarterly_report(busiest(demo_db))
    for start in ("=", "+", "-", "@", "\t", "\r"):
        evil = attrs.evolve(report, service_name=f'{start}HYPERLINK("http://x")')
        sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(evil)))["Summary"]
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (start, cell.coordinate, cell.value)
    assert exports.csv_safe("=1+1") == "'=1+1"
    assert exports.csv_safe("-5") == "'-5"
    assert exports.csv_safe("North") == "North"
    rows = list(csv.reader(io.StringIO(exports.to_csv(report))))
    assert all(not v.startswith(exports.FORMULA_STARTS) for row in rows for v in row)


def test_an_unsuppressed_report_that_cannot_be_written_is_not_audited(
    demo_db: str, tmp_path: Path
) -> None:
    with snt_youth.open(demo_db) as book:
        before = len(book.audit_trail())
    missing = tmp_path / "no" / "such" / "folder" / "x.json"
    (tmp_path / "no").write_text("a file, not a folder")
    result = run(
        "--db",
        demo_db,
        "report",
        "quarterly",
        "--unsuppressed",
        "--format",
        "json",
        "-o",
        str(missing),
    )
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    with snt_youth.open(demo_db) as book:
        assert len(book.audit_trail()) == before
    good = tmp_path / "ok.json"
    result = run("--db", demo_db, "report", "quarterly", "--unsuppressed", "-o", str(good))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    with snt_youth.open(demo_db) as book:
        event = book.audit_trail()[-1]
    assert event.action == "unsuppressed-report" and str(good) in event.detail
