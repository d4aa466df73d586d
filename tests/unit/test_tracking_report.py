"""The quarterly report: protection across tables, and every writer read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert

from snt_youth.errors import FormatError, InvalidInput, WriteError
from snt_youth.store import funnel, schema
from snt_youth.tracking import exports
from snt_youth.tracking.disclosure import SUPPRESSED, UNSUPPRESSED_MARKING, DisclosureSettings
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import (
    FUNNEL,
    MEASURE_IDS,
    CountRow,
    QuarterlyReport,
    build_report,
)

Q = Quarter(2025, 3)  # 2025-26 Q3: October to December 2025
AS_AT = dt.date(2026, 2, 14)
TEAMS = (("north", "North locality team"), ("south", "South locality team"), ("iss", "ISS team"))

person = st.fixed_dictionaries(
    {
        "team": st.sampled_from([t for t, _ in TEAMS]),
        "gender": st.sampled_from(["female", "male", "not stated"]),
        "ethnicity": st.sampled_from(["White", "Asian or Asian British", "not stated"]),
        "age_band": st.sampled_from(["10-13", "14-15", "16-17"]),
        "stage": st.sampled_from(["pre-court", "post-court"]),
        "kind": st.sampled_from(["internal", "external"]),
        "depth": st.integers(1, 6),  # how many funnel stages this young person reached
        "protective_adult": st.booleans(),
        "active": st.booleans(),
    }
)


def counts_for(people: list[dict[str, object]], quarter: Quarter = Q) -> list[CountRow]:
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for p in people:
        reached = {m: int(i < int(str(p["depth"]))) for i, m in enumerate(FUNNEL)}
        reached["protective_adult"] = int(bool(p["protective_adult"]))
        reached["active"] = int(bool(p["active"]))
        for measure, value in reached.items():
            totals[("all", "all", measure)] += value
            for b in ("team", "gender", "ethnicity", "age_band", "stage"):
                totals[(b, str(p[b]), measure)] += value
            if measure in ("offered", "accepted", "attended", "completed", "active"):
                totals[("support_type", str(p["kind"]), measure)] += value
    return [CountRow(quarter, b, g, m, v) for (b, g, m), v in totals.items()]


def report_from(people: list[dict[str, object]], **options: object) -> QuarterlyReport:
    disclosure = options.pop("disclosure", DisclosureSettings())
    assert isinstance(disclosure, DisclosureSettings)
    return build_report(
        counts_for(people),
        quarter=Q,
        report_date=AS_AT,
        disclosure=disclosure,
        teams=TEAMS,
        service_name="Example Youth Justice Service",
        **options,  # type: ignore[arg-type]
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(person, max_size=40), st.integers(1, 10))
def test_report_tables_are_protected_and_consistent(
    people: list[dict[str, object]], threshold: int
) -> None:
    report = report_from(people, disclosure=DisclosureSettings("suppress", threshold))
    exact = report_from(people, disclosure=DisclosureSettings(applied=False))
    headline = {c.measure: c.figure for c in report.headline.total.cells}
    for table, plain in zip(report.tables, exact.tables, strict=True):
        # Every table's All row is shown exactly as the headline is.
        assert {c.measure: c.figure for c in table.total.cells} == {
            m: headline[m] for m in table.measures
        }
        for j, measure in enumerate(table.measures):
            column = [row.cells[j] for row in table.rows]
            for cell, true_cell in zip(column, [r.cells[j] for r in plain.rows], strict=True):
                if cell.value is not None:
                    assert not 1 <= cell.value <= threshold
                    assert cell.value == true_cell.value
                else:
                    assert true_cell.value, "zero stays 0"
                    assert cell.percent.value is None  # [c], or [z] for support active
            hidden = [c for c in column if c.suppressed]
            if table.id != "all":  # the headline is one row: no line to subtract from
                assert len(hidden) != 1, (table.id, measure)
        # Unsuppressed breakdowns add up to the totals where groups do not overlap.
        if table.partition and table.id != "all":
            for j, _measure in enumerate(plain.measures):
                groups = sum(row.cells[j].value or 0 for row in plain.groups)
                assert groups == plain.total.cells[j].value
    # The funnel never rises.
    values = [exact.headline.total.cell(m).value or 0 for m in FUNNEL]
    assert values == sorted(values, reverse=True)


def test_a_total_one_table_must_hide_is_hidden_everywhere() -> None:
    # Six young people completed, one in each ethnic group... here three groups of 1,
    # with a total of 3 that is itself small: hidden in the headline and every table.
    people = [
        {**base, "ethnicity": eth, "depth": 6}
        for base, eth in zip(
            [
                {
                    "team": "north",
                    "gender": "female",
                    "age_band": "14-15",
                    "stage": "pre-court",
                    "kind": "internal",
                    "protective_adult": False,
                    "active": True,
                }
            ]
            * 3,
            ["White", "Asian or Asian British", "not stated"],
            strict=True,
        )
    ] + [
        {
            "team": "south",
            "gender": "male",
            "ethnicity": "White",
            "age_band": "16-17",
            "stage": "post-court",
            "kind": "external",
            "depth": 2,
            "protective_adult": False,
            "active": False,
        }
    ] * 20
    report = report_from(people)
    for table in report.tables:
        if "completed" in table.measures:
            assert table.total.cell("completed").suppressed
    assert report.headline.total.cell("screened").value == 23


def sample_report(applied: bool = True) -> QuarterlyReport:
    people = [
        {
            "team": t,
            "gender": g,
            "ethnicity": "White",
            "age_band": "14-15",
            "stage": "pre-court",
            "kind": "internal",
            "depth": d,
            "protective_adult": d > 3,
            "active": d > 2,
        }
        for t in ("north", "south")
        for g in ("female", "male")
        for d in range(1, 7)
        for _ in range(2)
    ]
    return report_from(people, disclosure=DisclosureSettings(applied=applied))


def test_csv_is_one_tidy_table() -> None:
    report = sample_report()
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(report))))
    assert tuple(rows[0]) == exports.CSV_COLUMNS
    headline = {
        r["measure"]: r["value"] for r in rows if r["breakdown"] == "all" and r["quarter"] == str(Q)
    }
    assert headline == {c.measure: str(c.figure) for c in report.headline.total.cells}
    assert {r["report_date"] for r in rows} == {AS_AT.isoformat()}
    for r in rows:
        assert (r["value"] == SUPPRESSED) == (r["suppressed"] == "yes")
    trend_quarters = {r["quarter"] for r in rows}
    assert trend_quarters == {str(q) for q in Q.recent(4)}
    teams = {r["group"] for r in rows if r["breakdown"] == "team"}
    assert teams == {name for _, name in TEAMS}


def test_unsuppressed_csv_is_marked() -> None:
    text = exports.to_csv(sample_report(applied=False))
    assert text.splitlines()[0] == f"# {UNSUPPRESSED_MARKING}"
    assert UNSUPPRESSED_MARKING not in exports.to_csv(sample_report())


def test_json_is_versioned_and_round_trips() -> None:
    report = sample_report()
    data = json.loads(exports.to_json(report))
    assert data["format"] == "snt-youth/quarterly-report"
    assert data["format_version"] == 1
    assert data["report_date"] == AS_AT.isoformat()
    assert data["quarter"] == "2025-26 Q3" and data["calendar"] is False
    assert exports.from_json_data(data) == report
    newer = {**data, "format_version": 2}
    with pytest.raises(FormatError, match="newer"):
        exports.from_json_data(newer)
    with pytest.raises(FormatError):
        exports.from_json_data({"format": "something-else"})


def test_xlsx_reads_back(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for applied in (True, False):
        report = sample_report(applied)
        path = exports.write(report, "xlsx", tmp_path / "q.xlsx")
        book = load_workbook(path)
        expected = ["Summary", *(t.title for t in report.breakdowns), "Trend", "Notes"]
        assert book.sheetnames == expected
        for sheet in book.worksheets:
            texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
            assert any(f"As at {AS_AT.isoformat()}" in t for t in texts)
            assert (UNSUPPRESSED_MARKING in texts) == (not applied)
            if sheet.title != "Notes":
                assert sheet.freeze_panes is not None
        summary = book["Summary"]
        header = next(r for r in summary.iter_rows() if r[0].value == "Group")
        total = next(r for r in summary.iter_rows() if r[0].value == "All")
        assert header[1].value == "Screened"
        assert total[1].value == report.headline.total.cell("screened").value
        assert total[1].number_format == "#,##0"
        assert total[2].number_format == "0.0%"
        notes = [str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value]
        assert report.disclosure.rule in notes
        assert "Attended at least once" in notes


def test_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="Cannot write"):
        exports.write(sample_report(), "csv", tmp_path / "missing" / "q.csv")
    with pytest.raises(WriteError, match="folder"):
        exports.write(sample_report(), "csv", tmp_path)
    with pytest.raises(InvalidInput, match="format"):
        exports.write(sample_report(), "docx", tmp_path / "q.docx")


def test_empty_quarter_gives_a_valid_empty_report() -> None:
    report = build_report([], quarter=Q, report_date=AS_AT, disclosure=DisclosureSettings())
    assert report.is_empty and report.empty_note
    assert all(c.value == 0 for c in report.headline.total.cells)
    assert exports.from_json_data(exports.to_json_data(report)) == report


def _database_report(tmp_path: Path, applied: bool) -> QuarterlyReport:
    engine = create_engine(f"sqlite:///{tmp_path / 'people.sqlite3'}")
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        for i in range(1, 13):
            conn.execute(
                insert(schema.young_people).values(
                    id=i,
                    case_ref=f"CASE-ZX{i:03d}",
                    known_as="Zebedee",
                    date_of_birth=dt.date(2009, 3, 17),
                    gender="male",
                    ethnicity="White",
                    team="north",
                    language="en",
                    created_at=dt.datetime(2025, 1, 1),
                )
            )
            conn.execute(
                insert(schema.screenings).values(
                    young_person_id=i,
                    stage="pre-court",
                    screened_on=dt.date(2025, 11, 3),
                    officer="A. Officer",
                    instrument_id="snt-screen",
                    instrument_version="1",
                    status="complete",
                    need_identified=True,
                    judgements="[]",
                )
            )
    with engine.connect() as conn:
        rows = funnel.report_counts(conn, Q, AS_AT)
    engine.dispose()
    return build_report(
        rows,
        quarter=Q,
        report_date=AS_AT,
        disclosure=DisclosureSettings(applied=applied),
        teams=TEAMS,
    )


@pytest.mark.parametrize("applied", [True, False])
def test_no_output_carries_a_name_case_reference_or_date_of_birth(
    tmp_path: Path, applied: bool
) -> None:
    from openpyxl import load_workbook

    report = _database_report(tmp_path, applied)
    assert report.headline.total.cell("screened").value == 12
    texts = [exports.to_csv(report), exports.to_json(report)]
    book = load_workbook(exports.write(report, "xlsx", tmp_path / "q.xlsx"))
    texts += [str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row]
    from snt_youth.printing.report_pdf import render_report_html

    texts.append(render_report_html(report))
    everything = "\n".join(texts)
    for private in ("Zebedee", "CASE-ZX", "2009-03-17", "17/03/2009", "A. Officer"):
        assert private not in everything


@pytest.mark.slow
@pytest.mark.parametrize("applied", [True, False])
def test_pdf_text_reads_back(tmp_path: Path, applied: bool) -> None:
    from pypdf import PdfReader

    from snt_youth.printing.report_pdf import write_report_pdf

    report = sample_report(applied)
    path = write_report_pdf(report, tmp_path / "board.pdf")
    reader = PdfReader(path)
    pages = [page.extract_text() or "" for page in reader.pages]
    assert len(pages) >= 2
    for text in pages:
        assert f"As at {AS_AT.isoformat()}" in text
        assert str(Q) in text
        assert (UNSUPPRESSED_MARKING in text) == (not applied)
    whole = "\n".join(pages)
    for label in ("The funnel", "By team", "By ethnic group", "Definitions", "Trend"):
        assert label in whole
    assert "Attended at least once" in whole
    assert str(report.headline.total.cell("screened").value) in whole


def test_charts_are_svg_and_hide_suppressed_bars() -> None:
    from snt_youth.printing.report_pdf import funnel_svg, trend_svg

    report = report_from(
        [
            {
                "team": "north",
                "gender": "male",
                "ethnicity": "White",
                "age_band": "14-15",
                "stage": "pre-court",
                "kind": "internal",
                "depth": 1,
                "protective_adult": False,
                "active": False,
            }
        ]
        * 9
        + [
            {
                "team": "north",
                "gender": "male",
                "ethnicity": "White",
                "age_band": "14-15",
                "stage": "pre-court",
                "kind": "internal",
                "depth": 2,
                "protective_adult": False,
                "active": False,
            }
        ]
        * 2
    )
    svg = funnel_svg(report)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert SUPPRESSED in svg  # need identified (2) is shown as [c], not as a bar
    assert ">11<" in svg
    assert trend_svg(report).startswith("<svg")
    assert MEASURE_IDS[0] == "screened"
