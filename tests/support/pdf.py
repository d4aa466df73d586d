"""Helpers for the printing tests: read a PDF back the way a person would see it."""

from __future__ import annotations

import io
import math
from typing import Any

from pypdf import PdfReader

A4 = (595.28, 841.89)  # points


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(pdf).pages]


def _mult(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def text_sizes(pdf: bytes) -> list[tuple[float, str]]:
    """Every piece of text with its size on the page in points."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            m = _mult(list(tm), list(cm))
            found.append((round(size * math.hypot(m[2], m[3]), 2), text))

    for page in reader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return found


def embedded_fonts(pdf: bytes) -> set[str]:
    """Base names of fonts whose program is embedded in the PDF."""
    names: set[str] = set()
    for page in reader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                d = descendant.get_object()
                descriptor = d.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(d["/BaseFont"]).split("+", 1)[-1])
    return names
