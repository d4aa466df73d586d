"""Print that holds together: every worksheet, in every variant, read back from the PDF.

The rules are defined in tests/support/layout.py: a question is never the last thing on
a page, a list stays with its heading and never leaves one bullet alone, and no page is
left nearly empty before a section that would have fitted on it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.support import layout
from tests.support.samples import JO, session, variants

from snt_youth.printing import worksheets

CASES = [
    pytest.param(sheet.name, variant, options, id=f"{sheet.name}-{variant}")
    for sheet in worksheets.list_worksheets()
    for variant, options in variants(sheet).items()
]


def test_every_kind_of_variant_is_covered() -> None:
    kinds = {variant.split("-")[0] for _, variant, _ in (c.values for c in CASES)}
    assert {"blank", "prefilled", "for", "take", "own", "guide"} <= kinds
    assert any("large" in v and "cream" in v for _, v, _ in (c.values for c in CASES))
    assert len(CASES) >= 40


@pytest.mark.slow
@pytest.mark.parametrize(("name", "variant", "options"), CASES)
def test_layout_holds_together(name: str, variant: str, options: dict[str, object]) -> None:
    pdf = worksheets.render_pdf(name, **options)  # type: ignore[arg-type]
    pages = layout.read_pages(pdf)
    assert pages and all(p.items for p in pages), "every page has something on it"
    assert layout.problems(pdf) == []


# The checks themselves, on layouts that break each rule on purpose.


def _html_sheet(tmp_path: Path, body: str, large: bool = False) -> bytes:
    """A worksheet made of ``body``, printed from a copy of the worksheets folder."""
    folder = tmp_path / "worksheets"
    shutil.copytree(worksheets.folder_path(), folder)
    (folder / "safety-plan.en.html").write_text(
        '{% extends "_base.html" %}{% block content %}' + body + "{% endblock %}", "utf-8"
    )
    return worksheets.render_pdf("safety-plan", folder=folder, large_print=large)


FILLER = "<p>" + "Some words to fill the page. " * 8 + "</p>"


def test_a_question_left_at_the_foot_of_a_page_is_found(tmp_path: Path) -> None:
    body = (
        "<h1>T</h1>"
        + FILLER * 13
        + '<p>Who can you go to?</p><div style="break-before: page" class="write-box"></div>'
    )
    found = layout.problems(_html_sheet(tmp_path, body))
    assert any("ends with the question 'Who can you go to?'" in f for f in found), found


def test_a_nearly_empty_page_before_a_section_that_fits_is_found(tmp_path: Path) -> None:
    body = "<h1>T</h1><p>A short start.</p><h2 style='break-before: page'>Next</h2><p>Words.</p>"
    found = layout.problems(_html_sheet(tmp_path, body))
    assert any("page 1 is only" in f and "would fit" in f for f in found), found


def test_a_new_part_with_a_title_may_start_a_page(tmp_path: Path) -> None:
    body = (
        "<h1>T</h1>"
        + "<p>A short start, a few lines long, well under a third of the page.</p>" * 6
        + "<h1 style='break-before: page'>For the facilitator</h1>"
        + FILLER
    )
    # Under a third full (rule 2 would object) but more than a scrap (rule 4 would).
    assert layout.problems(_html_sheet(tmp_path, body)) == []


def test_a_lone_bullet_and_a_stranded_heading_are_found(tmp_path: Path) -> None:
    items = "".join(f"<li>Point {n}</li>" for n in range(4))
    body = (
        "<h1>T</h1>"
        + FILLER * 2
        + f"<ul>{items}</ul><ul style='break-before: page'><li>Point 4</li></ul>"
        + FILLER * 2
        + "<h2 style='break-after: page'>Stranded</h2>"
        + FILLER
    )
    found = layout.problems(_html_sheet(tmp_path, body))
    assert any("one bullet alone on page 2" in f for f in found), found
    assert any("ends with 'Stranded'" in f for f in found), found


def test_samples_are_what_the_variants_say() -> None:
    assert session("who-kept-me-safe").case_ref == JO.case_ref
    sheet = worksheets.find_worksheet("safety-plan")
    assert variants(sheet)["take-home-first-name"] == {
        "young_person": JO,
        "take_home": True,
        "first_name": True,
    }


def test_a_scrap_before_a_new_part_is_found(tmp_path: Path) -> None:
    body = (
        "<h1>T</h1>"
        + FILLER * 3
        + "<p style='break-before: page'>Thank you.</p>"
        + "<h1 style='break-before: page'>For the facilitator</h1>"
        + FILLER
    )
    found = layout.problems(_html_sheet(tmp_path, body))
    assert len(found) == 1 and found[0].startswith("page 2 holds only a scrap"), found
