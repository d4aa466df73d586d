"""The take-home safety plan: safe to keep at home, read back from the PDF itself."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from tests.support.pdf import page_texts, reader

import snt_youth
from snt_youth import config as config_module
from snt_youth.cli import cli
from snt_youth.errors import InvalidInput
from snt_youth.model import YoungPerson
from snt_youth.printing import worksheets
from snt_youth.printing.helplines import load_helplines

JO = YoungPerson(case_ref="YJ-0042", date_of_birth=dt.date(2010, 5, 1), team="north", known_as="Jo")
NO_NAME = YoungPerson(case_ref="YJ-0043", date_of_birth=dt.date(2011, 2, 1), team="north")
SERVICE = config_module.load().service.name


def everything_printed(pdf: bytes) -> str:
    """The text of every page, and the document's metadata: all a finder could read."""
    meta = reader(pdf).metadata or {}
    return " ".join(page_texts(pdf)) + " " + " ".join(str(v) for v in meta.values())


def flat(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def assert_safe_at_home(text: str, case_ref: str) -> None:
    assert case_ref not in text
    assert "OFFICIAL" not in text.upper()
    assert "SENSITIVE" not in text.upper()
    assert SERVICE not in flat(text)
    assert "Youth Justice" not in flat(text)


def assert_has_helplines(text: str) -> None:
    helplines = load_helplines()
    assert helplines.helplines, "the shipped helplines must not be empty for this test"
    for line in helplines.helplines:
        assert line.number in text
    checked = f"{helplines.last_checked.day} {helplines.last_checked:%B %Y}"
    assert f"checked on {checked}" in flat(text)


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("cream", [False, True])
def test_take_home_copy_with_no_name(cream: bool, large_print: bool) -> None:
    pdf = worksheets.render_pdf(
        "safety-plan", young_person=JO, take_home=True, cream=cream, large_print=large_print
    )
    text = everything_printed(pdf)
    assert_safe_at_home(text, JO.case_ref)
    assert "Jo" not in text.split()
    assert "For Jo" not in flat(text)
    assert "My safety plan" in flat(text)
    assert_has_helplines(text)


def test_take_home_copy_with_the_first_name_only() -> None:
    pdf = worksheets.render_pdf("safety-plan", young_person=JO, take_home=True, first_name=True)
    text = everything_printed(pdf)
    assert "For Jo" in flat(text)
    assert_safe_at_home(text, JO.case_ref)
    assert_has_helplines(text)


def test_officers_file_copy_is_still_marked_on_every_page() -> None:
    pdf = worksheets.render_pdf("safety-plan", young_person=JO)
    texts = page_texts(pdf)
    assert len(texts) >= 2
    for text in texts:
        assert "OFFICIAL-SENSITIVE" in text
        assert JO.case_ref in text
    assert_has_helplines(" ".join(texts))


def test_a_template_that_prints_the_case_reference_cannot_on_a_take_home_copy(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "worksheets"
    shutil.copytree(worksheets.folder_path(), folder)
    template = folder / "safety-plan.en.html"
    template.write_text(
        template.read_text("utf-8").replace(
            "<h1>My safety plan</h1>",
            "<h1>My safety plan</h1>{% if person %}<p>Ref [{{ person.case_ref }}]</p>{% endif %}",
        ),
        "utf-8",
    )
    marked = worksheets.render_pdf("safety-plan", young_person=JO, folder=folder)
    assert f"Ref [{JO.case_ref}]" in flat(" ".join(page_texts(marked)))
    pdf = worksheets.render_pdf(
        "safety-plan", young_person=JO, take_home=True, first_name=True, folder=folder
    )
    text = everything_printed(pdf)
    assert "Ref []" in flat(text)
    assert_safe_at_home(text, JO.case_ref)


def test_html_take_home_copy_has_no_marking_either() -> None:
    html = worksheets.render_html("safety-plan", young_person=JO, take_home=True)
    assert JO.case_ref not in html
    assert "OFFICIAL" not in html


def test_only_a_worksheet_with_a_take_home_copy_has_one() -> None:
    with pytest.raises(InvalidInput, match="no take-home copy; worksheets that have one: "):
        worksheets.render_pdf("matrix:who-kept-me-safe", young_person=JO, take_home=True)


def test_first_name_is_for_take_home_copies_with_a_known_as() -> None:
    with pytest.raises(InvalidInput, match="take-home copy only"):
        worksheets.prepare("safety-plan", young_person=JO, first_name=True)
    with pytest.raises(InvalidInput, match="needs a young person"):
        worksheets.prepare("safety-plan", take_home=True, first_name=True)
    with pytest.raises(InvalidInput, match="YJ-0043 has no first name"):
        worksheets.prepare("safety-plan", young_person=NO_NAME, take_home=True, first_name=True)


def test_audit_detail_names_the_copy_but_never_the_person() -> None:
    file_copy = worksheets.prepare("safety-plan", young_person=JO)
    no_name = worksheets.prepare("safety-plan", young_person=JO, take_home=True)
    named = worksheets.prepare("safety-plan", young_person=JO, take_home=True, first_name=True)
    blank = worksheets.prepare("safety-plan")
    matrix = worksheets.prepare("matrix:who-kept-me-safe", young_person=JO)
    details = [worksheets.audit_detail(p) for p in (file_copy, no_name, named)]
    assert details == [
        "printed safety-plan: the officer's file copy, marked OFFICIAL-SENSITIVE",
        "printed safety-plan: a take-home copy with no name, unmarked",
        "printed safety-plan: a take-home copy with the young person's first name, unmarked",
    ]
    assert worksheets.audit_detail(blank) is None  # no young person: nothing read
    # A matrix printed with a young person's details is a read of personal data too.
    matrix_detail = worksheets.audit_detail(matrix)
    assert matrix_detail is not None
    assert matrix_detail.endswith("with the young person's details")
    assert JO.case_ref not in matrix_detail and (JO.known_as or "?") not in matrix_detail


def _book(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'book.sqlite3'}"
    with snt_youth.open(url, user="test.officer") as book:
        book.add_young_person("YJ-1", dt.date(2010, 1, 1), "north", known_as="Al")
        book.add_young_person("YJ-2", dt.date(2011, 1, 1), "north")
    return url


def _prints(url: str) -> list[tuple[str, str]]:
    with snt_youth.open(url, user="test.officer") as book:
        return [(str(e.record_id), e.detail) for e in book.audit_trail() if e.action == "print"]


def test_cli_take_home_is_unmarked_and_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _book(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["--db", url, "worksheet", "render", "safety-plan", "--young-person", "YJ-1"]
    result = runner.invoke(cli, [*args, "--take-home", "--first-name"])
    assert result.exit_code == 0, result.output
    assert "take-home copy" in result.output
    # The default file name carries no case reference either.
    out = tmp_path / "safety-plan-take-home.pdf"
    text = everything_printed(out.read_bytes())
    assert "For Al" in flat(text)
    assert_safe_at_home(text, "YJ-1")
    assert_has_helplines(text)

    result = runner.invoke(cli, [*args, "-o", str(tmp_path / "file.pdf")])
    assert result.exit_code == 0, result.output
    assert "OFFICIAL-SENSITIVE" in page_texts((tmp_path / "file.pdf").read_bytes())[0]

    assert _prints(url) == [
        (
            "YJ-1",
            "printed safety-plan: a take-home copy with the young person's first name, unmarked",
        ),
        ("YJ-1", "printed safety-plan: the officer's file copy, marked OFFICIAL-SENSITIVE"),
    ]
    assert all("Al" not in detail.split() for _, detail in _prints(url))


def test_cli_refusals_are_one_sentence_exit_2_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _book(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    cases = [
        (["safety-plan", "--young-person", "YJ-2", "--take-home", "--first-name"], "no first name"),
        (["safety-plan", "--young-person", "YJ-1", "--first-name"], "take-home copy only"),
        (["matrix:who-kept-me-safe", "--young-person", "YJ-1", "--take-home"], "no take-home"),
    ]
    for args, words in cases:
        result = runner.invoke(cli, ["--db", url, "worksheet", "render", *args, "-o", "x.pdf"])
        assert result.exit_code == 2, result.output
        assert words in result.output
        assert result.output.count("Error:") == 1
    assert not (tmp_path / "x.pdf").exists()
    assert _prints(url) == []


def test_cli_batch_of_safety_plans_gives_audited_file_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _book(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            url,
            "worksheet",
            "batch",
            "safety-plan",
            "--team",
            "north",
            "--out",
            str(out),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    for ref in ("YJ-1", "YJ-2"):
        first = page_texts((out / f"safety-plan-{ref}.pdf").read_bytes())[0]
        assert "OFFICIAL-SENSITIVE" in first and ref in first
    file_copy = "printed safety-plan: the officer's file copy, marked OFFICIAL-SENSITIVE"
    assert sorted(_prints(url)) == [("YJ-1", file_copy), ("YJ-2", file_copy)]


BLANK = worksheets.render_html("safety-plan")


@settings(max_examples=60, deadline=None)
@given(
    case_ref=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9/_.\-]{2,20}", fullmatch=True),
    known_as=st.one_of(st.none(), st.from_regex(r"[A-Za-z][A-Za-z' -]{0,15}", fullmatch=True)),
    first_name=st.booleans(),
)
@example(case_ref="YJ-1", known_as="O'Neil <b>", first_name=True)
def test_take_home_is_the_blank_plan_plus_at_most_the_first_name(
    case_ref: str, known_as: str | None, first_name: bool
) -> None:
    """Whatever the reference and name, the take-home copy is the blank plan, with one line
    added for the first name when it is wanted: nothing else about the person gets in."""
    first_name = first_name and bool(known_as)
    person = YoungPerson(case_ref, dt.date(2010, 1, 1), "north", known_as=known_as)
    html = worksheets.render_html(
        "safety-plan", young_person=person, take_home=True, first_name=first_name
    )
    if first_name:
        assert known_as is not None
        line = f'<p class="for-whom">For {escape(known_as)}</p>\n'
        assert html.count(line) == 1
        html = html.replace(line, "")
    assert html == BLANK


def test_manifest_allows_a_take_home_copy_only_on_a_young_persons_sheet(tmp_path: Path) -> None:
    from snt_youth.errors import ContentError

    folder = tmp_path / "worksheets"
    shutil.copytree(worksheets.folder_path(), folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text("utf-8")
    officer = 'templates = { en = "screening-form.en.html" }\n'
    assert officer in text
    manifest.write_text(text.replace(officer, officer + "take_home = true\n"), "utf-8")
    with pytest.raises(ContentError, match=r"worksheets\[2\] \(line \d+\)\.take_home: only"):
        worksheets.list_worksheets(folder)
