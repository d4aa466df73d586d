"""Token patterns: how a rule says which words it matches.

A pattern is a phrase written as words separated by spaces. Each word is one token
of the text, compared without regard to case:

- ``word``: exactly this word;
- ``a|b|c``: any one of these words;
- ``word+``: the word and its regular inflections (``fail+`` matches fail, fails,
  failed, failing); irregular forms are written out (``choose|chose|chosen``);
- ``[...]``: the token is optional (``[the|her]``);
- ``*``: any one word (``[*]``: at most one word, or none);
- ``*'s``: any possessive word (``Mr B's``).

The first word of a matching pattern must be a plain word or a list of words, so
the engine can find candidates with one dictionary look-up per token of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

# A word token: letters and digits, with apostrophes inside (don't, mum's).
WORD = re.compile(r"\w+(?:['’]\w+)*")
_LITERAL = re.compile(r"\w+(?:'\w+)*")
_VOWELS = "aeiou"

# Between two words of one phrase: spaces, hyphens, slashes and at most one line break.
_JOIN = re.compile(r"[ \t\-–—/]*(?:\r?\n[ \t\-–—/]*)?")
# A sentence ends at . ! ? followed by space or the end, or at a blank line.
SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)|\n[ \t]*\n")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def normalise(word: str) -> str:
    """A token as the matcher compares it: lower case, straight apostrophes."""
    return word.lower().replace("’", "'")


def inflect(base: str) -> frozenset[str]:
    """The base word with its regular -s, -ed and -ing forms (a generous guess).

    Guessing one or two forms that are not English words does no harm: they never
    occur in a note.
    """
    forms = {base}
    if base.endswith("ie"):
        forms |= {base + "s", base + "d", base[:-2] + "ying"}
    elif base.endswith("ee"):
        forms |= {base + "s", base + "d", base + "ing"}
    elif base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
        short = len(re.findall(f"[{_VOWELS}]+", base)) == 1
        if (
            short
            and len(base) >= 3
            and base[-1] not in _VOWELS + "wxy"
            and base[-2] in _VOWELS
            and base[-3] not in _VOWELS
        ):
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return frozenset(forms)


@attrs.frozen
class TokenSpec:
    """One position in a pattern: which words fit it, and whether it may be skipped."""

    words: frozenset[str] | None  # None: any word (or any word ending in ``suffix``)
    optional: bool = False
    suffix: str = ""

    def accepts(self, word: str) -> bool:
        if self.words is None:
            return word.endswith(self.suffix)
        return word in self.words


@attrs.frozen
class Pattern:
    """A parsed pattern: its source text and its token positions."""

    source: str
    specs: tuple[TokenSpec, ...]

    @property
    def anchors(self) -> frozenset[str]:
        """The words the first token can be (used to index candidates)."""
        first = self.specs[0].words
        assert first is not None
        return first


class PatternError(ValueError):
    """A pattern is not written correctly; the message says how."""


def _alternatives(piece: str, pattern: str) -> frozenset[str] | None:
    if piece == "*":
        return None
    words: set[str] = set()
    for alt in piece.split("|"):
        word = normalise(alt)
        stem = word[:-1] if word.endswith("+") else word
        if not _LITERAL.fullmatch(stem):
            raise PatternError(
                f"{alt!r} in pattern {pattern!r} is not a word; write words, "
                "word+ for inflections, a|b for choices, [word] for optional, * for any word"
            )
        words |= inflect(stem) if word.endswith("+") else {stem}
    return frozenset(words)


def parse(pattern: str, *, anchored: bool = True) -> Pattern:
    """Parse a pattern, or raise :class:`PatternError` saying what is wrong.

    ``anchored`` patterns (what a rule matches) must start with a word; context
    patterns (``requires``, ``unless``...) may start with ``*'s`` too.
    """
    specs: list[TokenSpec] = []
    for piece in pattern.split():
        optional = piece.startswith("[") and piece.endswith("]")
        inner = piece[1:-1] if optional else piece
        if not inner or "[" in inner or "]" in inner:
            raise PatternError(f"{piece!r} in pattern {pattern!r} has unbalanced brackets")
        if inner == "*'s":
            specs.append(TokenSpec(None, optional, suffix="'s"))
            continue
        specs.append(TokenSpec(_alternatives(inner, pattern), optional))
    if not specs:
        raise PatternError("a pattern cannot be empty")
    if specs[0].optional or (anchored and specs[0].words is None):
        raise PatternError(
            f"pattern {pattern!r} must start with a word (not [optional] or *), "
            "so it can be found quickly"
        )
    return Pattern(pattern, tuple(specs))


class Tokens:
    """The words of a text, with their positions, ready for matching."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        starts, ends, words = self.starts, self.ends, self.words
        lowered = text.lower()
        if len(lowered) == len(text):
            # Fast path: lower-casing kept every offset, so words come from one findall.
            for m in WORD.finditer(text):
                s, e = m.span()
                starts.append(s)
                ends.append(e)
            words.extend(w.replace("’", "'") for w in WORD.findall(lowered))
            if len(words) != len(starts):  # pragma: no cover - defensive
                words.clear()
                words.extend(normalise(text[s:e]) for s, e in zip(starts, ends, strict=True))
        else:
            for m in WORD.finditer(text):
                s, e = m.span()
                starts.append(s)
                ends.append(e)
                words.append(normalise(m.group()))

    def __len__(self) -> int:
        return len(self.words)

    def gap(self, i: int) -> str:
        """The text between word ``i - 1`` and word ``i``."""
        return self.text[self.ends[i - 1] : self.starts[i]]

    def joined(self, i: int) -> bool:
        """Whether word ``i`` follows word ``i - 1`` within one phrase."""
        return _JOIN.fullmatch(self.text, self.ends[i - 1], self.starts[i]) is not None

    def breaks_sentence(self, i: int) -> bool:
        """Whether a sentence ends between word ``i - 1`` and word ``i``."""
        return SENTENCE_BREAK.search(self.text, self.ends[i - 1], self.starts[i]) is not None

    def breaks_paragraph(self, i: int) -> bool:
        """Whether a blank line lies between word ``i - 1`` and word ``i``."""
        return PARAGRAPH_BREAK.search(self.text, self.ends[i - 1], self.starts[i]) is not None

    def match(self, pattern: Pattern, i: int) -> int | None:
        """The index after the last word if ``pattern`` matches from word ``i``, else None."""
        return _match(self, pattern.specs, 0, i, first=True)

    def find_any(self, patterns: Sequence[Pattern], lo: int, hi: int) -> bool:
        """Whether any pattern matches wholly within words ``lo`` to ``hi - 1``."""
        for j in range(max(lo, 0), min(hi, len(self.words))):
            for pattern in patterns:
                end = self.match(pattern, j)
                if end is not None and end <= hi:
                    return True
        return False


def _match(
    tokens: Tokens, specs: Sequence[TokenSpec], k: int, i: int, *, first: bool
) -> int | None:
    if k == len(specs):
        return i
    spec = specs[k]
    words = tokens.words
    if i < len(words) and spec.accepts(words[i]) and (first or tokens.joined(i)):
        end = _match(tokens, specs, k + 1, i + 1, first=False)
        if end is not None:
            return end
    if spec.optional:
        return _match(tokens, specs, k + 1, i, first=first)
    return None
