"""Read a printed worksheet's layout back from the PDF: where the text and the boxes are.

The layout rules checked by tests/integration/test_worksheet_layout.py, measured from
the PDF that is printed (with pdfminer.six), not from the HTML we meant:

- **Body.** Everything between the top and bottom page margins (22 mm, as in
  worksheets/worksheet.css). The marking, the case reference and the page number sit in
  the margins and are page furniture, not body. A filled shape as tall as the body (the
  white or cream background) is not body either.
- **Question.** A line of body text that ends with "?" and starts at the left edge of
  the text (so not a bullet in a list of questions for the facilitator, which is
  indented, and not words inside a box or a table cell).
- **Rule 1, a question stays with its answer.** On every page but the last, the lowest
  thing in the body (text or drawing) is not a question: the box, table or ticks that
  answer it are on the same page.
- **Heading.** A line whose largest letters are at least 1.15 times the body text size
  (the most common size in the document).
- **Section.** From a heading down to the next heading. What comes before the first
  heading on a page is a section too. A section that starts with a title (letters at
  least 1.5 times the body size, such as "For the facilitator") may always start a page.
- **Rule 2, no needless empty page.** A page (not the last) whose body is less than a
  third full fails when the first section of the next page would have fitted in the
  space left at its foot (with 6 pt to spare). A third, not a quarter: the large-print
  safety plan once left a page 28% full before a section that fitted.
- **Rule 3, a list stays with its heading.** A heading, or a line that leads into a list
  (ending with ":"), is never the last text on a page (but the last). A list split
  across pages leaves at least two bullets on each side.
- **Rule 4, no scraps.** No page but the last is less than a tenth full, whatever
  follows it (a closing line left alone before the facilitator's pages, say).
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Iterator

import attrs
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent, LTCurve, LTPage, LTTextContainer, LTTextLine

MM = 72 / 25.4
MARGIN_TOP = 22 * MM
MARGIN_BOTTOM = 22 * MM
MARGIN_LEFT = 18 * MM
EMPTY = 1 / 3  # a page less full than this is "nearly empty"
SCRAP = 0.1  # a page less full than this holds only a scrap
SPARE = 6.0  # points a section must leave free to count as fitting


@attrs.frozen
class Item:
    """One line of text, or one drawing, in a page's body. y grows downwards, in points."""

    top: float
    bottom: float
    left: float
    text: str = ""  # empty for a drawing
    size: float = 0.0  # the largest letters in the line, in points

    @property
    def is_text(self) -> bool:
        return bool(self.text)


@attrs.frozen
class Page:
    number: int  # from 1
    items: tuple[Item, ...]  # top to bottom
    body_top: float
    body_bottom: float

    @property
    def lowest(self) -> Item | None:
        return max(self.items, key=lambda i: (i.bottom, i.is_text), default=None)

    @property
    def fill(self) -> float:
        """How much of the body is used, from its top to the lowest thing on it."""
        lowest = self.lowest
        if lowest is None:
            return 0.0
        return (lowest.bottom - self.body_top) / (self.body_bottom - self.body_top)

    @property
    def free(self) -> float:
        lowest = self.lowest
        return self.body_bottom - (lowest.bottom if lowest else self.body_top)


def _lines(container: object) -> Iterator[LTTextLine]:
    if isinstance(container, LTTextLine):
        yield container
    elif isinstance(container, LTTextContainer) or hasattr(container, "__iter__"):
        for child in container:
            yield from _lines(child)


def _size(line: LTTextLine) -> float:
    sizes = [round(c.size, 1) for c in line if isinstance(c, LTChar) and c.get_text().strip()]
    return max(sizes, default=0.0)


def _drawings(container: object) -> Iterator[LTComponent]:
    for child in container:  # type: ignore[attr-defined]
        if isinstance(child, LTCurve):  # rectangles and lines are curves too
            yield child
        elif not isinstance(child, LTTextContainer) and hasattr(child, "__iter__"):
            yield from _drawings(child)


def _background(drawing: LTComponent, body_height: float) -> bool:
    """The page's or the body's background: filled, not outlined, as tall as the body."""
    filled_only = getattr(drawing, "fill", False) and not getattr(drawing, "stroke", True)
    return bool(filled_only and drawing.height >= 0.95 * body_height)


def read_pages(pdf: bytes) -> list[Page]:
    pages: list[Page] = []
    for layout in extract_pages(io.BytesIO(pdf)):
        assert isinstance(layout, LTPage)
        height = layout.height
        body_top, body_bottom = MARGIN_TOP, height - MARGIN_BOTTOM
        items: list[Item] = []
        for line in _lines(layout):
            text = line.get_text().strip()
            top, bottom = height - line.y1, height - line.y0
            if text and top >= body_top - 1 and bottom <= body_bottom + 1:
                items.append(Item(top, bottom, line.x0, text, _size(line)))
        for drawing in _drawings(layout):
            top, bottom = height - drawing.y1, height - drawing.y0
            if _background(drawing, body_bottom - body_top):
                continue
            if top >= body_top - 2 and bottom <= body_bottom + 2:
                items.append(Item(top, bottom, drawing.x0))
        items.sort(key=lambda i: (i.top, i.left))
        pages.append(Page(layout.pageid, tuple(items), body_top, body_bottom))
    return pages


def body_size(pages: list[Page]) -> float:
    """The size of most of the letters: the body text."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for item in page.items:
            sizes[item.size] += len(item.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def is_question(item: Item, left_edge: float = MARGIN_LEFT) -> bool:
    return item.is_text and item.text.endswith("?") and abs(item.left - left_edge) < 3


def first_section(page: Page, heading_size: float) -> tuple[float, float] | None:
    """(top, bottom) of the first section on ``page``: down to its second heading."""
    if not page.items:
        return None
    top = page.items[0].top
    bottom = page.items[0].bottom
    for item in page.items[1:]:
        if item.is_text and item.size >= heading_size and item.top > top + 1:
            break
        bottom = max(bottom, item.bottom)
    return top, bottom


def _list_runs(page: Page) -> tuple[int, int, bool, bool]:
    """Bullets in the page's first and last runs of indented text, and whether the page
    starts and ends inside such a run (an indented run is a list, a table or a box)."""
    text = [i for i in page.items if i.is_text]
    if not text:
        return 0, 0, False, False

    def run(items: list[Item]) -> list[Item]:
        found = []
        for item in items:
            if item.left <= MARGIN_LEFT + 3 and item.text != "•":
                break
            found.append(item)
        return found

    first, last = run(text), run(text[::-1])
    return (
        sum(i.text == "•" for i in first),
        sum(i.text == "•" for i in last),
        bool(first),
        bool(last),
    )


def problems(pdf: bytes) -> list[str]:
    """Every broken layout rule in ``pdf``, one sentence each (an empty list: it holds)."""
    pages = read_pages(pdf)
    found: list[str] = []
    body = body_size(pages)
    heading_size, title_size = 1.15 * body, 1.5 * body
    for page, after in itertools.pairwise(pages):
        text = [i for i in page.items if i.is_text]
        if text and (text[-1].size >= heading_size or text[-1].text.endswith(":")):
            found.append(
                f"page {page.number} ends with {text[-1].text!r}; what it leads into "
                f"starts on page {after.number}"
            )
        _, bullets_before, _, ends_in_list = _list_runs(page)
        bullets_after, _, starts_in_list, _ = _list_runs(after)
        if ends_in_list and starts_in_list and 1 in (bullets_before, bullets_after):
            lone = page.number if bullets_before == 1 else after.number
            found.append(
                f"a list is split between pages {page.number} and {after.number}, "
                f"leaving one bullet alone on page {lone}"
            )
        lowest = page.lowest
        if lowest is not None and is_question(lowest):
            found.append(
                f"page {page.number} ends with the question {lowest.text!r}; "
                f"its answer starts on page {after.number}"
            )
        if page.fill < SCRAP:
            found.append(f"page {page.number} holds only a scrap ({page.fill:.0%} full)")
        section = first_section(after, heading_size)
        titled = bool(after.items) and after.items[0].size >= title_size
        if page.fill < EMPTY and section is not None and not titled:
            height = section[1] - section[0]
            if height + SPARE <= page.free:
                found.append(
                    f"page {page.number} is only {page.fill:.0%} full, but the first "
                    f"section of page {after.number} ({height:.0f} pt) would fit in the "
                    f"{page.free:.0f} pt left"
                )
    return found
