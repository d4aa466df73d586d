"""Worksheet templates: the manifest, safe templating, languages, fetching, errors."""

from __future__ import annotations

import datetime as dt
import html
import importlib
import re
import shutil
from pathlib import Path

import pytest
from tests.support.pdf import embedded_fonts, page_texts

from snt_youth import locations, readability
from snt_youth.errors import ContentError, InvalidInput, MissingSystemLibrary, NotFound
from snt_youth.model import Language, Session, YoungPerson
from snt_youth.printing import engine, fetcher, worksheets
from snt_youth.printing.helplines import load_helplines

SHIPPED = locations.worksheets_dir()


def person(language: Language = Language.ENGLISH) -> YoungPerson:
    return YoungPerson(
        case_ref="YJ-0099",
        date_of_birth=dt.date(2011, 2, 3),
        team="south",
        known_as="Sam",
        language=language,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped worksheets a test can change."""
    target = tmp_path / "worksheets"
    shutil.copytree(SHIPPED, target)
    return target


def test_wrong_name_lists_the_worksheets() -> None:
    with pytest.raises(NotFound, match="safety-plan"):
        worksheets.find_worksheet("safety-plna")


def test_welsh_template_chosen_when_preferred_and_present(folder: Path) -> None:
    (folder / "safety-plan.cy.html").write_text(
        '{% extends "_base.html" %}{% block content %}<h1>Fy nghynllun diogelwch</h1>'
        "{% endblock %}",
        encoding="utf-8",
    )
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace(
            'templates = { en = "safety-plan.en.html" }',
            'templates = { en = "safety-plan.en.html", cy = "safety-plan.cy.html" }',
        ),
        encoding="utf-8",
    )
    sheet = worksheets.find_worksheet("safety-plan", folder)
    choice = worksheets.choose_language(sheet, person(Language.WELSH))
    assert choice.language is Language.WELSH and choice.notice is None
    out = worksheets.render_html("safety-plan", young_person=person(Language.WELSH), folder=folder)
    assert "Fy nghynllun diogelwch" in out and 'lang="cy"' in out
    english = worksheets.render_html("safety-plan", young_person=person(), folder=folder)
    assert "My safety plan" in english


def test_english_with_notice_when_no_welsh_template() -> None:
    sheet = worksheets.find_worksheet("safety-plan")
    choice = worksheets.choose_language(sheet, person(Language.WELSH))
    assert choice.language is Language.ENGLISH
    assert choice.notice is not None and "Welsh" in choice.notice and "YJ-0099" in choice.notice
    assert worksheets.choose_language(sheet, person()).notice is None


def test_autoescape_and_no_template_code_in_words() -> None:
    session = Session(
        id=1,
        case_ref="YJ-0099",
        held_on=dt.date(2026, 1, 5),
        facilitator="L. Grant",
        matrix_id="who-kept-me-safe",
        matrix_version="1.0",
        reflection="<script>alert(1)</script> {{ config }} {% if 1 %}yes{% endif %}",
    )
    out = worksheets.render_html("matrix:who-kept-me-safe", young_person=person(), session=session)
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "{{ config }} {% if 1 %}yes{% endif %}" in html.unescape(out)


def test_session_needs_the_young_person_and_matching_matrix() -> None:
    session = Session(
        id=1,
        case_ref="YJ-0099",
        held_on=dt.date(2026, 1, 5),
        facilitator="x",
        matrix_id="who-helps-me-now",
        matrix_version="1.0",
    )
    with pytest.raises(InvalidInput, match="young person"):
        worksheets.render_html("matrix:who-helps-me-now", session=session)
    with pytest.raises(InvalidInput, match="cannot be prefilled"):
        worksheets.render_html("matrix:who-kept-me-safe", young_person=person(), session=session)


def test_no_personal_data_without_a_young_person() -> None:
    for sheet in worksheets.list_worksheets():
        prepared = worksheets.prepare(sheet)
        assert not prepared.personal
        assert "OFFICIAL-SENSITIVE" not in worksheets.standalone_html(prepared)
    marked = worksheets.render_html("session-record", young_person=person())
    assert "OFFICIAL-SENSITIVE" in marked and "YJ-0099" in marked


def test_broken_template_names_file_and_line(folder: Path) -> None:
    target = folder / "session-record.en.html"
    lines = target.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "<p>{% if person %}never closed</p>")
    target.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        worksheets.render_html("session-record", folder=folder)
    message = str(caught.value)
    assert "session-record.en.html" in message
    assert re.search(r"line \d+", message)


def test_unknown_variable_names_file_and_line(folder: Path) -> None:
    target = folder / "safety-plan.en.html"
    lines = target.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "<p>{{ persn.known_as }}</p>")
    target.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        worksheets.render_html("safety-plan", folder=folder)
    assert "safety-plan.en.html, line 4" in str(caught.value)
    assert "persn" in str(caught.value)


def test_manifest_problems_are_named(folder: Path) -> None:
    manifest = folder / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'audience = "officer"', 'audience = "officers"', 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"manifest.toml, worksheets\[2\] \(line \d+\).audience"):
        worksheets.list_worksheets(folder)


def test_fetcher_allows_only_the_worksheets_folder_and_fonts(tmp_path: Path) -> None:
    roots = (SHIPPED, fetcher.FONTS_DIR)
    assert fetcher.allowed_file((SHIPPED / "worksheet.css").as_uri(), roots) is not None
    font = fetcher.FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf"
    assert fetcher.allowed_file(font.as_uri(), roots) == font
    assert fetcher.allowed_file("data:text/plain,hello", roots) is None
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    for url in (
        outside.as_uri(),
        "file:///etc/passwd",
        (SHIPPED / ".." / "pyproject.toml").as_uri(),
        "https://example.org/x.css",
        "file://otherhost/share/x.css",
    ):
        with pytest.raises(fetcher.RefusedURL):
            fetcher.allowed_file(url, roots)


def test_template_pulling_in_an_outside_file_is_refused(folder: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    target = folder / "session-record.en.html"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text.replace("{% block content %}", f'{{% block content %}}<img src="{secret.as_uri()}">'),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"session-record\.en\.html.*outside the worksheets"):
        worksheets.render_pdf("session-record", folder=folder)


def test_too_small_text_from_a_champions_css_is_refused(folder: Path) -> None:
    css = folder / "worksheet.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh2 { font-size: 9pt; }\n", encoding="utf-8")
    with pytest.raises(ContentError, match="needs 14 pt or more"):
        worksheets.render_pdf("safety-plan", folder=folder)


def test_missing_pango_gives_a_one_line_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(name: str) -> object:
        raise OSError("cannot load library 'libpango-1.0-0': No such file")

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(MissingSystemLibrary) as caught:
        engine.weasyprint()
    assert "apt-get install" in str(caught.value) and "\n" not in str(caught.value)


def test_print_rules_reach_pseudo_elements_a_template_styles(folder: Path) -> None:
    # Our rules are added to ::before and the like only when something styles them.
    target = folder / "session-record.en.html"
    text = target.read_text(encoding="utf-8")
    style = (
        "<style>h1::before { content: 'Note: '; font-style: italic; font-family: serif; "
        "text-transform: uppercase }</style>"
    )
    target.write_text(text.replace("{% block content %}", "{% block content %}" + style))
    pdf = worksheets.render_pdf("session-record", folder=folder)
    assert embedded_fonts(pdf) <= {"SNT-Sans", "SNT-Sans-Bold", "SNT-Fallback"}
    assert "Note: Session record" in " ".join(page_texts(pdf))
    css = folder / "worksheet.css"
    css.write_text(
        css.read_text(encoding="utf-8") + "\nh2::after { content: ' *'; font-family: serif }\n",
        encoding="utf-8",
    )
    pdf = worksheets.render_pdf("safety-plan", folder=folder)
    assert embedded_fonts(pdf) <= {"SNT-Sans", "SNT-Sans-Bold", "SNT-Fallback"}
    assert engine.mentions_pseudo_elements("li::MARKER { color: red }")
    assert not engine.mentions_pseudo_elements(worksheets.prepare("safety-plan").html)


def test_edited_manifest_is_read_again(folder: Path) -> None:
    assert worksheets.find_worksheet("safety-plan", folder).title == "My safety plan"
    manifest = folder / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            'title = "My safety plan"', 'title = "My own safety plan"'
        ),
        encoding="utf-8",
    )
    assert worksheets.find_worksheet("safety-plan", folder).title == "My own safety plan"


def test_facilitator_pages_flag_must_be_true_or_false(folder: Path) -> None:
    manifest = folder / "manifest.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "facilitator_pages = true", 'facilitator_pages = "yes"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"facilitator_pages.*true or false"):
        worksheets.list_worksheets(folder)


def test_css_strings_cannot_break_out() -> None:
    escaped = engine.css_string('Jo"; } @page { x: "')
    assert '"' not in escaped and "}" not in escaped and ";" not in escaped


def test_helplines_have_numbers_and_a_checked_date() -> None:
    lines = load_helplines()
    numbers = {h.number for h in lines.helplines}
    assert {"0808 2000 247", "0808 801 0327", "0808 802 0300", "0800 1111"} <= numbers
    assert lines.last_checked <= dt.date.today()


def _young_person_text(page: str) -> str:
    """The young person's part of a worksheet as plain text (facilitator pages dropped)."""
    page = page.split('<section class="facilitator">')[0]
    page = re.sub(r"<head>.*?</head>", " ", page, flags=re.S)
    page = re.sub(r"<br>|</p>|</li>|</h\d>|</td>|</th>", ". ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize(
    "name", [s.name for s in worksheets.list_worksheets() if s.audience == "young-person"]
)
def test_young_person_text_is_easy_to_read(name: str) -> None:
    text = _young_person_text(worksheets.prepare(name).html)
    measured = readability.measure(text)
    assert measured.reading_age <= 10.5, (name, measured.reading_age)
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        assert len(readability.words(sentence)) <= 15, sentence
