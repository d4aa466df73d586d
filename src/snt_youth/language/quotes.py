"""Parts of a text that are someone else's words, and so are not the writer's wording.

A young person's or a survivor's own words, recorded in quotation marks, are kept as
they were said. The check looks at how the writer describes things, so it skips:

- text in double quotes, straight ("...") or curly (“...”);
- text in single quotes ('...' or ‘...’) when the marks are clearly quotation marks,
  not apostrophes: the opening mark starts a word and the closing mark ends one;
- with ``markdown=True``, code spans (`...`) and fenced code blocks, which the docs use
  to show examples of wording.

A quotation never runs past a blank line: an unclosed quotation mark exempts nothing.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_MARKS = re.compile(r"[\"“”'‘’]|\n[ \t\r]*\n")
_OPENS_AFTER = ' \t\r\n([{—–-"“/'
_CLOSES_BEFORE = ' \t\r\n.,;:!?)]}—–-"”/'
_FENCE = re.compile(r"^[ \t]*(```+|~~~+).*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`)((?:(?!\n[ \t\r]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)


def _single_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPENS_AFTER and not after.isspace()


def _single_closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and after in _CLOSES_BEFORE


def quoted_spans(text: str) -> list[Span]:
    """Spans (start, end) of quotations, marks included, in order and not overlapping."""
    spans: list[Span] = []
    open_at = -1
    closer = ""
    for m in _MARKS.finditer(text):
        mark = m.group()
        i = m.start()
        if len(mark) > 1:  # a blank line: any open quotation was never closed
            open_at = -1
            continue
        if open_at < 0:
            if mark in '"“':
                open_at, closer = i, '"”' if mark == "“" else '"'
            elif mark in "'‘" and _single_opens(text, i):
                open_at, closer = i, "'’" if mark == "‘" else "'"
            continue
        if mark in closer and (closer.startswith('"') or _single_closes(text, i)):
            spans.append((open_at, i + 1))
            open_at = -1
    return spans


def code_spans(text: str) -> list[Span]:
    """Spans of markdown fenced code blocks and inline code, in order."""
    spans: list[Span] = []
    for m in _FENCE.finditer(text):
        spans.append(m.span())
    fenced = list(spans)
    for m in _CODE_SPAN.finditer(text):
        s, e = m.span()
        if not any(fs <= s < fe for fs, fe in fenced):
            spans.append((s, e))
    return sorted(spans)


def exempt_spans(text: str, *, markdown: bool = False) -> list[Span]:
    """Every span the check skips, merged and in order."""
    if markdown:
        code = code_spans(text)
        # Quotation marks inside code are examples, not quotations: blank the code out.
        blanked = list(text)
        for s, e in code:
            blanked[s:e] = " " * (e - s)
        spans = sorted(code + quoted_spans("".join(blanked)))
    else:
        spans = quoted_spans(text)
    merged: list[Span] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
