"""Worksheets as PDFs, read back with pypdf: what a person holding the paper sees."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.support.pdf import A4, embedded_fonts, page_texts, reader, text_sizes

from snt_youth.errors import InvalidInput
from snt_youth.model import MatrixEntry, Session, YoungPerson
from snt_youth.printing import worksheets

JO = YoungPerson(case_ref="YJ-0042", date_of_birth=dt.date(2010, 5, 1), team="north", known_as="Jo")
WORDS = "Mum said <b>run</b> {{ 7*7 }} & hid me at Nan's 😀"
LONG = "Nan made tea after school and listened to me every single day. " * 12
SESSION = Session(
    id=7,
    case_ref="YJ-0042",
    held_on=dt.date(2026, 3, 3),
    facilitator="R. Ahmed",
    matrix_id="who-kept-me-safe",
    matrix_version="1.0",
    entries=(
        MatrixEntry("Mum", "safe", WORDS),
        MatrixEntry("Nan", "cared", LONG),
        MatrixEntry("Nan", "better", "x" * 150),
    ),
    reflection="Mum did more than I thought.",
    next_steps="Say thank you to Nan.",
)
NAMES = [s.name for s in worksheets.list_worksheets()]


def flat(text: str) -> str:
    return " ".join(text.split())


def in_order(words: str, text: str) -> bool:
    """Every word of ``words`` appears in ``text`` in order (page furniture may come between)."""
    tokens = iter(text.replace("’", "'").split())
    return all(any(token == word for token in tokens) for word in words.split())


@pytest.fixture(scope="module")
def blank() -> dict[str, bytes]:
    return {name: worksheets.render_pdf(name) for name in NAMES}


@pytest.fixture(scope="module")
def prefilled() -> bytes:
    return worksheets.render_pdf("matrix:who-kept-me-safe", young_person=JO, session=SESSION)


@pytest.fixture(scope="module")
def own_pages() -> bytes:
    """What a batch gives each young person: their own pages only."""
    return worksheets.render_pdf(
        "matrix:who-kept-me-safe", young_person=JO, session=SESSION, pages="young-person"
    )


@pytest.fixture(scope="module")
def guide() -> bytes:
    """What a batch prints once: the facilitator's pages, for everyone."""
    return worksheets.render_pdf("matrix:who-kept-me-safe", pages="facilitator")


def test_every_shipped_worksheet_is_listed() -> None:
    assert {"safety-plan", "screening-form", "session-record"} <= set(NAMES)
    assert "matrix:who-kept-me-safe" in NAMES
    assert "matrix:who-helps-me-now" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_blank_pages_are_a4_with_embedded_fonts_and_no_marking(
    blank: dict[str, bytes], name: str
) -> None:
    pdf = blank[name]
    for page in reader(pdf).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    assert {"SNT-Sans", "SNT-Sans-Bold"} <= embedded_fonts(pdf)
    assert all("OFFICIAL-SENSITIVE" not in t for t in page_texts(pdf))


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("matrix:who-kept-me-safe", "Who tried to keep you safe?"),
        ("matrix:who-kept-me-safe", "For the facilitator"),
        ("safety-plan", "My safety plan"),
        ("safety-plan", "People I can go to"),
        ("safety-plan", "Places I can be safe"),
        ("safety-plan", "What I do if I'm scared"),
        ("safety-plan", "0808 2000 247"),
        ("safety-plan", "0800 1111"),
        ("screening-form", "home-hurt"),
        ("screening-form", "prefer-not-to-say"),
        ("session-record", "Session record"),
    ],
)
def test_expected_headings(blank: dict[str, bytes], name: str, heading: str) -> None:
    assert heading in flat(" ".join(page_texts(blank[name])))


def test_facilitator_questions_are_on_their_own_page(blank: dict[str, bytes]) -> None:
    pages = page_texts(blank["matrix:who-kept-me-safe"])
    first_facilitator = next(i for i, t in enumerate(pages) if "For the facilitator" in t)
    assert first_facilitator > 0
    assert "For the facilitator" in pages[first_facilitator].splitlines()[0:3][-1] or any(
        line.startswith("For the facilitator") for line in pages[first_facilitator].splitlines()
    )
    # the question templates come after the young person's pages, never before
    assert all("Questions for each column" not in t for t in pages[:first_facilitator])


def test_young_persons_words_are_printed_as_written(prefilled: bytes) -> None:
    text = flat(" ".join(page_texts(prefilled)))
    assert in_order(WORDS, text)
    assert "49" not in text  # the braces were never evaluated
    assert "😀" in text


def test_long_words_and_text_wrap_instead_of_being_cut_off(prefilled: bytes) -> None:
    text = "".join("".join(page_texts(prefilled)).split())
    assert "x" * 150 in text
    # Long text flows on to the next page (between page headers), every word kept.
    words = " ".join(page_texts(prefilled)).split()
    assert words.count("listened") == LONG.count("listened") == 12
    assert words.count("single") == 12


def test_marking_exactly_when_personal_data(prefilled: bytes) -> None:
    pages = page_texts(prefilled)
    assert all("OFFICIAL-SENSITIVE" in t and "YJ-0042" in t for t in pages)
    safety = page_texts(worksheets.render_pdf("safety-plan", young_person=JO))
    assert all("OFFICIAL-SENSITIVE" in t for t in safety)


def test_only_case_reference_and_known_as(prefilled: bytes) -> None:
    text = " ".join(page_texts(prefilled))
    assert "YJ-0042 (Jo)" in text
    assert "2010" not in text  # no date of birth


def test_young_person_text_is_14pt_or_more(blank: dict[str, bytes], prefilled: bytes) -> None:
    for name in ("matrix:who-kept-me-safe", "matrix:who-helps-me-now", "safety-plan"):
        sizes = [size for size, _ in text_sizes(blank[name])]
        assert sizes and min(sizes) >= 14.0, name
    assert min(size for size, _ in text_sizes(prefilled)) >= 14.0


def test_officer_text_is_12pt_or_more(blank: dict[str, bytes]) -> None:
    for name in ("screening-form", "session-record"):
        assert min(size for size, _ in text_sizes(blank[name])) >= 12.0


def test_large_print_is_18pt_or_more() -> None:
    for name in ("safety-plan", "session-record"):
        pdf = worksheets.render_pdf(name, large_print=True)
        assert min(size for size, _ in text_sizes(pdf)) >= 18.0


def test_cream_background_differs_from_white() -> None:
    html = worksheets.render_html("safety-plan", cream=True)
    assert "#fdf6e3" in html
    assert "#fdf6e3" not in worksheets.render_html("safety-plan")


def test_own_pages_leave_out_the_facilitator(own_pages: bytes, prefilled: bytes) -> None:
    pages = page_texts(own_pages)
    text = flat(" ".join(pages))
    assert "Who tried to keep you safe?" in text and in_order(WORDS, text)
    assert "For the facilitator" not in text and "Questions for each column" not in text
    assert all("OFFICIAL-SENSITIVE" in t and "YJ-0042" in t for t in pages)
    assert len(pages) < len(page_texts(prefilled))
    assert min(size for size, _ in text_sizes(own_pages)) >= 14.0


def test_facilitator_guide_has_no_personal_data_and_no_marking(guide: bytes) -> None:
    pages = page_texts(guide)
    text = flat(" ".join(pages))
    assert "For the facilitator" in pages[0]  # no blank page before it
    assert "Questions for each column" in text and "When to pause or stop" in text
    assert "Who tried to keep you safe?" in text  # says which worksheet it goes with
    assert "OFFICIAL-SENSITIVE" not in text
    assert "YJ-" not in text and "Last session" not in text
    assert "The boxes across the top" not in text  # none of the young person's pages
    for page in reader(guide).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    assert {"SNT-Sans", "SNT-Sans-Bold"} <= embedded_fonts(guide)
    assert min(size for size, _ in text_sizes(guide)) >= 14.0


def test_facilitator_guide_is_never_printed_with_personal_data() -> None:
    with pytest.raises(InvalidInput, match="never carries personal data"):
        worksheets.prepare("matrix:who-kept-me-safe", young_person=JO, pages="facilitator")
    with pytest.raises(InvalidInput, match="no facilitator pages"):
        worksheets.prepare("safety-plan", pages="facilitator")
