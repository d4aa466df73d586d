"""HTML to PDF with WeasyPrint, set up once and reused.

WeasyPrint is imported here and only here, and only when a PDF is first asked for
(importing it takes most of a second). One :class:`Engine` per process keeps:

- one ``FontConfiguration``, so the packaged fonts are registered once;
- the accessibility stylesheets, parsed once per set of print options;
- a URL fetcher that only reads the worksheets folder and the package fonts.

Where the time goes: laying out a two-page worksheet takes a few tens of
milliseconds, but by default WeasyPrint then cuts each font down to the letters used
(with fontTools, unless the HarfBuzz subsetting library is installed), which takes
most of the time. Our fonts are small (Atkinson Hyperlegible is 54 KB), so we embed
them whole (``full_fonts``): the PDF is some 60 KB bigger and is written two to
three times faster. ``scripts/bench_worksheets.py`` measures this.

Working out the styles of every element is the other large cost. Our rules must also
hold inside pseudo-elements (``::before``, ``::after`` and the like), but styling those
for every element of every page costs about a quarter of the layout time, and they
inherit our rules anyway unless a stylesheet styles them itself. So the pseudo-element
rule is added only when the worksheet or a stylesheet in the worksheets folder
mentions a pseudo-element (:func:`mentions_pseudo_elements`).
"""

from __future__ import annotations

import importlib
import re
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

from snt_youth.errors import ContentError, MissingSystemLibrary
from snt_youth.printing.fetcher import FONTS_DIR, make_fetcher, refusal
from snt_youth.printing.manifest import Audience

#: Smallest text allowed, in points, by audience; large print raises both.
MINIMUM_PT: dict[str, float] = {"young-person": 14.0, "officer": 12.0}
LARGE_PRINT_PT = 18.0
CREAM = "#fdf6e3"
MARKING = "OFFICIAL-SENSITIVE"
PDF_OPTIONS: dict[str, Any] = {"full_fonts": True}

_PANGO_HINT = (
    "PDF output needs the Pango library, which is not installed here; install it "
    "(Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0) and try again."
)


@attrs.frozen
class PageStyle:
    """How a worksheet is printed: for whom, and the reader's options."""

    audience: Audience = "young-person"
    cream: bool = False
    large_print: bool = False

    @property
    def base_pt(self) -> float:
        return LARGE_PRINT_PT if self.large_print else MINIMUM_PT[self.audience]


def weasyprint() -> ModuleType:
    """The weasyprint module, or MissingSystemLibrary with a one-line fix."""
    try:
        return importlib.import_module("weasyprint")
    except OSError as exc:  # cffi cannot load libpango / libgobject
        raise MissingSystemLibrary(_PANGO_HINT) from exc


_PSEUDO = re.compile(r":(?:before|after|marker|first-letter|first-line)\b", re.IGNORECASE)
_PSEUDO_SELECTORS = "*::before, *::after, *::marker, *::first-letter, *::first-line"


def mentions_pseudo_elements(text: str) -> bool:
    """True when ``text`` (HTML or CSS) may style a pseudo-element such as ``::before``."""
    return _PSEUDO.search(text) is not None


def base_css(style: PageStyle, *, pseudo_elements: bool = True) -> str:
    """The stylesheet every worksheet gets, after its own CSS.

    It is a user stylesheet: its ``!important`` rules beat anything a template says,
    which is how the British Dyslexia Association style is kept whatever a champion
    writes: our fonts, 1.5 line spacing, left aligned, no italics, underlining or
    capitals, and long words wrapped instead of cut off. ``pseudo_elements`` extends
    the rules to ``::before`` and the like; leave it out only when nothing styles them
    (they then inherit the rules), as it makes layout slower.
    """
    fonts = FONTS_DIR.as_uri()
    selectors = f"*, {_PSEUDO_SELECTORS}" if pseudo_elements else "*"
    background = CREAM if style.cream else "white"
    return f"""
@font-face {{ font-family: "SNT Sans"; font-weight: 400;
  src: url("{fonts}/AtkinsonHyperlegible-Regular.ttf"); }}
@font-face {{ font-family: "SNT Sans"; font-weight: 700;
  src: url("{fonts}/AtkinsonHyperlegible-Bold.ttf"); }}
@font-face {{ font-family: "SNT Fallback"; font-weight: 400;
  src: url("{fonts}/DejaVuSans-Subset.ttf"); }}
@font-face {{ font-family: "SNT Fallback"; font-weight: 700;
  src: url("{fonts}/DejaVuSans-Bold-Subset.ttf"); }}
@page {{ size: A4 portrait !important; background: {background} !important; }}
html {{ font-size: {style.base_pt}pt !important; background: {background} !important; }}
{selectors} {{
  font-family: "SNT Sans", "SNT Fallback" !important;
  font-style: normal !important;
  text-decoration: none !important;
  text-transform: none !important;
  font-variant: normal !important;
  letter-spacing: normal !important;
  line-height: 1.5 !important;
  text-align: left !important;
  overflow-wrap: break-word !important;
}}
pre, code {{ white-space: pre-wrap !important; }}
"""


def marking_css(label: str) -> str:
    """Page furniture for a printout that carries personal data: on every page."""
    return f"""
@page {{
  @top-left {{ content: "{MARKING}"; font-weight: 700; }}
  @top-right {{ content: "{css_string(label)}"; }}
  @bottom-left {{ content: "{MARKING}"; font-weight: 700; }}
}}
"""


def css_string(text: str) -> str:
    """``text`` safe inside a double-quoted CSS string: every other character escaped."""
    return "".join(ch if ch.isalnum() or ch in " -.,:'()" else f"\\{ord(ch):06x}" for ch in text)


class Engine:
    """A long-lived WeasyPrint set-up. Use one per process; it is thread-safe."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        wp = weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        self._wp = wp
        self.roots = (*(r.resolve() for r in roots), FONTS_DIR)
        self._font_config = FontConfiguration()
        self._fetcher = make_fetcher(self.roots)
        self._sheets: dict[tuple[PageStyle, bool], Any] = {}
        self._css_pseudo: tuple[tuple[tuple[str, int, int], ...], bool] | None = None
        self._lock = threading.Lock()

    def _sheet(self, style: PageStyle, pseudo_elements: bool) -> Any:
        key = (style, pseudo_elements)
        sheet = self._sheets.get(key)
        if sheet is None:
            sheet = self._wp.CSS(
                string=base_css(style, pseudo_elements=pseudo_elements),
                font_config=self._font_config,
                url_fetcher=self._fetcher,
            )
            self._sheets[key] = sheet
        return sheet

    def _folder_css_mentions_pseudo(self) -> bool:
        """Whether any stylesheet in the worksheets folder styles a pseudo-element.

        Read again only when a stylesheet changes, is added or is removed.
        """
        files = sorted(
            path for root in self.roots if root != FONTS_DIR for path in root.rglob("*.css")
        )
        stamp = []
        for path in files:
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        key = tuple(stamp)
        if self._css_pseudo is None or self._css_pseudo[0] != key:
            found = False
            for path in files:
                try:
                    found = found or mentions_pseudo_elements(path.read_text("utf-8", "replace"))
                except OSError:
                    found = True  # cannot tell: keep the rule
            self._css_pseudo = (key, found)
        return self._css_pseudo[1]

    def render(
        self,
        html: str,
        *,
        base_url: Path,
        style: PageStyle,
        marking: str | None,
        source: str,
    ) -> Any:
        """Lay out ``html``; ``source`` (the template) is named in any error."""
        wp = self._wp
        from weasyprint.urls import FatalURLFetchingError

        with self._lock:
            pseudo = mentions_pseudo_elements(html) or self._folder_css_mentions_pseudo()
            sheets = [self._sheet(style, pseudo)]
            if marking is not None:
                sheets.append(wp.CSS(string=marking_css(marking), font_config=self._font_config))
            try:
                document = wp.HTML(
                    string=html, base_url=str(base_url) + "/", url_fetcher=self._fetcher
                ).render(stylesheets=sheets, font_config=self._font_config)
            except FatalURLFetchingError as exc:
                raise refusal(exc, source) from None
        check_text_sizes(document, style, source)
        return document

    def write_pdf(self, document: Any, source: str = "the worksheet") -> bytes:
        from weasyprint.urls import FatalURLFetchingError

        with self._lock:
            try:  # attachments are fetched only now, when the PDF is written
                pdf: bytes = document.write_pdf(**PDF_OPTIONS)
            except FatalURLFetchingError as exc:
                raise refusal(exc, source) from None
        return pdf

    def pdf(
        self, html: str, *, base_url: Path, style: PageStyle, marking: str | None, source: str
    ) -> bytes:
        """``html`` as PDF bytes."""
        document = self.render(html, base_url=base_url, style=style, marking=marking, source=source)
        return self.write_pdf(document, source)


def check_text_sizes(document: Any, style: PageStyle, source: str) -> None:
    """Refuse a layout with text smaller than the audience's minimum.

    Templates should size text in ``rem``/``em`` so large print scales; this catches
    a champion's CSS that made something too small to read.
    """
    from weasyprint.formatting_structure.boxes import TextBox

    minimum = style.base_pt if style.large_print else MINIMUM_PT[style.audience]
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, TextBox) and box.text.strip():
                size_pt = box.style["font_size"] * 0.75
                if size_pt + 0.01 < minimum:
                    words = " ".join(box.text.split())[:40]
                    raise ContentError(
                        source,
                        "",
                        f"the text {words!r} is {size_pt:g} pt, but this worksheet needs "
                        f"{minimum:g} pt or more; make it bigger in the template's CSS",
                    )
