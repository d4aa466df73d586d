"""Token patterns: how a rule says which words it matches.

A pattern is a phrase written as words separated by spaces. Each word is one token
of the text, compared without regard to case:

- ``word``: exactly this word;
- ``a|b|c``: any one of these words;
- ``n't``: any negative contraction (isn't, hasn't, didn't, won't...), each one token;
- ``word+``: the word and its regular inflections (``fail+`` matches fail, fails,
  failed, failing); irregular forms are written out (``choose|chose|chosen``);
- ``[...]``: the token is optional (``[the|her]``);
- ``*``: any one word (``[*]``: at most one word, or none);
- ``*'s``: any possessive word (``Mr B's``);
- ``word~``: any form of the word, by its dictionary form (lemma): ``witness~``
  matches witness, witnesses, witnessed, witnessing; ``keep~`` matches kept. ``word+``
  matches these too, as well as its regular inflections;
- ``...``: a gap of up to 4 words (``...6``: up to 6), within one sentence; commas and
  other punctuation may fall in the gap;
- ``@name``: any word of the word class ``name`` (the rule file's ``[words]`` table),
  so a frame can say "a survivor ... a blame word ... protect" once.

A matching pattern needs at least one position that is a plain word or a list of
words (not optional, not ``*``): the engine indexes each pattern by its least common
such position, so finding candidates costs one dictionary look-up per word of text.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Sequence

import attrs

# A word token: letters and digits, with apostrophes inside (don't, mum's).
WORD = re.compile(r"\w+(?:['’]\w+)*")
_SPLIT = re.compile(r"(\w+(?:['’]\w+)*)")
_LITERAL = re.compile(r"\w+(?:'\w+)*")
_VOWELS = "aeiou"

# Between two words of one phrase: a possessive apostrophe (the parents' rows), then
# spaces, hyphens, slashes and at most one line break.
_JOIN = re.compile(r"['’]?[ \t\-–—/]*(?:\r?\n[ \t\-–—/]*)?")
# Words joined as one phrase, as _JOIN joins them. Each gap must be at least one
# character, so the pattern cannot split a word in two ways (no runaway backtracking).
_PHRASE = re.compile(
    r"\w+(?:['’]\w+)*"
    r"(?:['’]?(?:[ \t\-–—/]+(?:\r?\n[ \t\-–—/]*)?|\r?\n[ \t\-–—/]*)\w+(?:['’]\w+)*)*"
)
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n")


# What ``n't`` in a pattern matches: the text keeps a contraction as one token.
NEGATIVE_CONTRACTIONS = frozenset(
    """
    isn't wasn't aren't weren't hasn't haven't hadn't doesn't don't didn't can't
    couldn't won't wouldn't shouldn't mustn't needn't mightn't ain't shan't oughtn't
    """.split()  # noqa: SIM905 - a word list reads best as text
)

_LEMMAS: dict[str, str] = {}
GAP_DEFAULT = 4
GAP_MAX = 8


def lemma(word: str) -> str:
    """The dictionary form of a (normalised) English word, from simplemma's data.

    Cached per word: a megabyte of notes has only a few thousand different words.
    """
    found = _LEMMAS.get(word)
    if found is None:
        import simplemma

        found = simplemma.lemmatize(word, lang="en").lower()
        _LEMMAS[word] = found
    return found


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
        # Consonant-vowel-consonant endings double the last letter when that syllable
        # is stressed (hit/hitting, permit/permitted) and not otherwise (visit/visited).
        # We cannot tell stress from spelling, so both forms are allowed.
        if (
            len(base) >= 3
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
    lemmas: frozenset[str] = frozenset()  # words whose lemma is one of these fit too
    gap: int = 0  # a gap of 0..gap words (``...``), not a word position

    def accepts(self, word: str, word_lemma: str = "") -> bool:
        if self.words is None:
            return word.endswith(self.suffix)
        return word in self.words or (bool(self.lemmas) and word_lemma in self.lemmas)


# How common a word is in notes, roughly: indexing a pattern by a very common word
# would make nearly every word of a text a candidate, so a pattern is indexed by the
# position whose words are, together, least common.
_VERY_COMMON = frozenset(
    """
    a an the and or but not no to of in on at by for with from as is are was were be
    been being am has have had do does did he she it they we you i him her his them
    their its this that these those there what when who so up out off over back into
    than then if
    """.split()  # noqa: SIM905 - a word list reads best as text
)
_COMMON = frozenset(
    """
    why how just only very too both couple parents things matters because under onto
    mum dad mother father go goes going went gone come comes came coming take takes took
    taken taking make made say says said tell told ask asked see saw seen know knew
    think feel felt want need use used keep kept let put give gave get gets got getting
    look like time day night week home house school work support police child children
    kids son daughter family people person partner young also again still never always
    often more most some any all one two first last new good well can could will would
    should may might must after before about
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def _weight(spec: TokenSpec) -> int:
    assert spec.words is not None
    return sum(
        1000 if word in _VERY_COMMON else 100 if word in _COMMON else 1 for word in spec.words
    )


@attrs.frozen
class Pattern:
    """A parsed pattern: its source text and its token positions.

    ``anchor`` is the position the engine indexes by (-1 for context patterns, which
    are only tried near a match); ``min_before``/``max_before`` say how many words the
    positions before the anchor can take.
    """

    source: str
    specs: tuple[TokenSpec, ...]
    anchor: int = -1
    min_before: int = 0
    max_before: int = 0
    # Every position is a required list of words: matched without search.
    simple: bool = attrs.field(init=False)
    sets: tuple[frozenset[str], ...] = attrs.field(init=False, repr=False)

    @simple.default
    def _simple(self) -> bool:
        return all(
            not spec.optional and spec.words is not None and not spec.lemmas and not spec.gap
            for spec in self.specs
        )

    @sets.default
    def _sets(self) -> tuple[frozenset[str], ...]:
        return tuple(spec.words or frozenset() for spec in self.specs)

    # The first position when a match must start with one of its words: the engine
    # tests it before trying a match (most start positions fail there).
    head: TokenSpec | None = attrs.field(init=False, repr=False)

    @head.default
    def _head(self) -> TokenSpec | None:
        first = self.specs[0]
        return first if not first.optional and first.words is not None and not first.gap else None

    @property
    def anchors(self) -> frozenset[str]:
        """The words the anchor position can be (used to index candidates)."""
        words = self.specs[self.anchor].words
        assert self.anchor >= 0 and words is not None
        return words

    @property
    def anchor_lemmas(self) -> frozenset[str]:
        """The lemmas that also fit the anchor position (indexed by lemma)."""
        return self.specs[self.anchor].lemmas


class PatternError(ValueError):
    """A pattern is not written correctly; the message says how."""


_GAP = re.compile(r"\.\.\.(\d*)")
_CLASS = re.compile(r"@([a-z][a-z0-9-]*)")


def _alternatives(
    piece: str, pattern: str, classes: dict[str, TokenSpec]
) -> tuple[frozenset[str], frozenset[str]] | None:
    """The words and lemmas one position accepts, or None for ``*``."""
    if piece == "*":
        return None
    words: set[str] = set()
    lemmas: set[str] = set()
    for alt in piece.split("|"):
        word = normalise(alt)
        named = _CLASS.fullmatch(word)
        if named:
            spec = classes.get(named.group(1))
            if spec is None:
                known = ", ".join(f"@{name}" for name in sorted(classes)) or "none"
                raise PatternError(
                    f"{alt!r} in pattern {pattern!r} is not a word class in the [words] "
                    f"table (known: {known})"
                )
            words |= spec.words or frozenset()
            lemmas |= spec.lemmas
            continue
        stem = word[:-1] if word.endswith(("+", "~")) else word
        if not _LITERAL.fullmatch(stem):
            raise PatternError(
                f"{alt!r} in pattern {pattern!r} is not a word; write words, "
                "word+ for inflections, word~ for any form, a|b for choices, [word] for "
                "optional, * for any word, ... for a gap, @name for a word class"
            )
        if word.endswith("+"):
            words |= inflect(stem)
            lemmas.add(lemma(stem))
        elif word.endswith("~"):
            words.add(stem)
            lemmas.add(lemma(stem))
        elif stem == "n't":
            # A negative contraction is one token ("hasn't"), so "n't" stands for all.
            words |= NEGATIVE_CONTRACTIONS
        else:
            words.add(stem)
    return frozenset(words), frozenset(lemmas)


def word_class(name: str, pieces: Sequence[str]) -> TokenSpec:
    """A word class for ``@name``: one position accepting any of ``pieces``.

    Each piece is one word as a pattern writes it (``mum``, ``protect+``, ``keep~``,
    ``a|b``). A class lists only words, not other classes, so it reads on its own.
    """
    words: set[str] = set()
    lemmas: set[str] = set()
    for piece in pieces:
        if not piece or piece.split() != [piece] or "@" in piece or piece in ("*", "..."):
            raise PatternError(
                f"{piece!r} in word class {name!r} is not one word; a class lists single "
                "words (word, word+, word~ or a|b)"
            )
        found = _alternatives(piece, piece, {})
        assert found is not None
        words |= found[0]
        lemmas |= found[1]
    if not words:
        raise PatternError(f"word class {name!r} is empty; list at least one word")
    return TokenSpec(frozenset(words), lemmas=frozenset(lemmas))


def parse(
    pattern: str, *, anchored: bool = True, classes: dict[str, TokenSpec] | None = None
) -> Pattern:
    """Parse a pattern, or raise :class:`PatternError` saying what is wrong.

    ``anchored`` patterns (what a rule matches) need one position that is a plain
    word or list of words; context patterns (``requires``, ``unless``...) need not.
    ``classes`` are the word classes ``@name`` may use.
    """
    specs: list[TokenSpec] = []
    for piece in pattern.split():
        gap = _GAP.fullmatch(piece)
        if gap:
            size = int(gap.group(1)) if gap.group(1) else GAP_DEFAULT
            if not 1 <= size <= GAP_MAX:
                raise PatternError(
                    f"{piece!r} in pattern {pattern!r}: a gap is 1 to {GAP_MAX} words"
                )
            if not specs or specs[-1].gap:
                raise PatternError(
                    f"pattern {pattern!r} has a gap ({piece}) with no word before it; "
                    "a gap goes between two words"
                )
            specs.append(TokenSpec(None, gap=size))
            continue
        optional = piece.startswith("[") and piece.endswith("]")
        inner = piece[1:-1] if optional else piece
        if not inner or "[" in inner or "]" in inner:
            raise PatternError(f"{piece!r} in pattern {pattern!r} has unbalanced brackets")
        if inner == "*'s":
            specs.append(TokenSpec(None, optional, suffix="'s"))
            continue
        found = _alternatives(inner, pattern, classes or {})
        if found is None:
            specs.append(TokenSpec(None, optional))
        else:
            specs.append(TokenSpec(found[0], optional, lemmas=found[1]))
    if not specs:
        raise PatternError("a pattern cannot be empty")
    if specs[-1].gap:
        raise PatternError(f"pattern {pattern!r} ends with a gap; a gap goes between two words")
    if not anchored:
        return Pattern(pattern, tuple(specs))
    fixed = [
        k
        for k, spec in enumerate(specs)
        if not spec.optional and spec.words is not None and not spec.gap
    ]
    if not fixed:
        raise PatternError(
            f"pattern {pattern!r} needs at least one word that is not [optional] or *, "
            "so it can be found quickly"
        )

    # Each candidate anchor costs one match attempt per start position it allows, so
    # a rare word after a gap can cost more than a commoner word at the start.
    def cost(k: int) -> int:
        head = specs[:k]
        spread = sum(s.gap or 1 for s in head) - sum(
            1 for s in head if not s.optional and not s.gap
        )
        return _weight(specs[k]) * (1 + spread)

    anchor = min(fixed, key=cost)
    before = specs[:anchor]
    return Pattern(
        pattern,
        tuple(specs),
        anchor=anchor,
        min_before=sum(1 for spec in before if not spec.optional and not spec.gap),
        max_before=sum(spec.gap or 1 for spec in before),
    )


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of ``text`` ends: the offset after its last character.

    Sentences come from the sentencex package (rule-based, with English abbreviations
    such as "Mr." and "p.m.", and no model to download); a blank line always ends one,
    so a heading or a list item without a full stop does not run into the next line.
    """
    from sentencex import segment

    found: list[int] = []
    at = 0
    for piece in segment("en", text):
        body = piece.strip()
        if not body:
            continue
        start = text.find(body, at)
        if start < 0:  # the segmenter changed the text; keep to what we can place
            continue
        at = start + len(body)
        found.append(at)
    found.extend(m.start() for m in PARAGRAPH_BREAK.finditer(text))
    return sorted(set(found))


class Tokens:
    """The words of a text, with their positions, ready for matching."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        self.lemmas: list[str] = []
        lowered = text.lower()
        if len(lowered) == len(text):
            # Fast path, nearly all in C: lower-casing kept every offset (no character
            # changed length), so summing the lengths of words and gaps gives offsets.
            # One pass: split keeps the words (captured) between the gaps.
            parts = _SPLIT.split(lowered)
            offsets = list(itertools.accumulate(map(len, parts)))
            self.starts = offsets[0:-1:2]
            self.ends = offsets[1::2]
            found = parts[1::2]
            self.words = [w.replace("’", "'") for w in found] if "’" in text else found
        else:
            for m in WORD.finditer(text):
                s, e = m.span()
                self.starts.append(s)
                self.ends.append(e)
                self.words.append(normalise(m.group()))
        # One look-up per word: the cache holds each different word once.
        cache = _LEMMAS
        self.lemmas = [cache.get(w) or lemma(w) for w in self.words]
        self.sentence_ends = sentence_ends(text)
        # sentence[i]: how many sentences end before word i, so two words are in one
        # sentence exactly when their numbers are equal (the list never falls).
        steps = [0] * (len(self.words) + 1)
        starts = self.starts
        for end in self.sentence_ends:
            steps[bisect.bisect_left(starts, end)] += 1
        self.sentence = list(itertools.accumulate(steps))

    def __len__(self) -> int:
        return len(self.words)

    def joined(self, i: int) -> bool:
        """Whether word ``i`` follows word ``i - 1`` within one phrase."""
        end = self.ends[i - 1]
        start = self.starts[i]
        if start == end + 1 and self.text[end] == " ":
            return True  # the usual case, without a regular expression
        return _JOIN.fullmatch(self.text, end, start) is not None

    def reach(self, i: int, steps: int, direction: int, *, sentence: bool) -> int:
        """How far a window of ``steps`` words reaches from ``i`` without crossing a break.

        Going back, the result is the first word of the window; going forward, the
        index after its last word (``i`` is then the index after a match, so at least
        1). ``sentence`` stops at sentence ends, else only at blank lines.
        """
        n = len(self.words)
        if sentence:
            number = self.sentence
            if direction < 0:
                lo = max(i - steps, 0)
                return i if lo >= i else bisect.bisect_left(number, number[i], lo, i)
            hi = min(i + steps, n)
            return i if hi <= i else bisect.bisect_right(number, number[i - 1], i, hi)
        breaks = PARAGRAPH_BREAK
        if direction < 0:
            lo = max(i - steps, 0)
            if lo >= i:
                return i
            last_end = -1
            for found in breaks.finditer(self.text, self.ends[lo], self.starts[i]):
                last_end = found.end()
            return lo if last_end < 0 else bisect.bisect_left(self.starts, last_end, lo, i)
        hi = min(i + steps, n)
        if hi <= i:
            return i
        first = breaks.search(self.text, self.ends[i - 1], self.starts[hi - 1])
        return hi if first is None else bisect.bisect_left(self.starts, first.end(), i, hi)

    def breaks_sentence(self, i: int) -> bool:
        """Whether a sentence ends between word ``i - 1`` and word ``i``."""
        return self.sentence[i] != self.sentence[i - 1]

    def breaks_paragraph(self, i: int) -> bool:
        """Whether a blank line lies between word ``i - 1`` and word ``i``."""
        return PARAGRAPH_BREAK.search(self.text, self.ends[i - 1], self.starts[i]) is not None

    def match(self, pattern: Pattern, i: int) -> int | None:
        """The index after the last word if ``pattern`` matches from word ``i``, else None."""
        if not pattern.simple:
            return _match(self, pattern.specs, 0, i, first=True)
        # A fixed run of words: test every position at C speed, then check the gaps
        # between the words with one regular expression over the whole phrase.
        sets = pattern.sets
        end = i + len(sets)
        if i < 0 or end > len(self.words):
            return None
        if not all(map(operator.contains, sets, self.words[i:end])):
            return None
        if end - i > 1 and _PHRASE.fullmatch(self.text, self.starts[i], self.ends[end - 1]) is None:
            return None
        return end

    def find_any(self, patterns: Sequence[Pattern], lo: int, hi: int) -> bool:
        """Whether any pattern matches wholly within words ``lo`` to ``hi - 1``."""
        lo, hi = max(lo, 0), min(hi, len(self.words))
        if lo >= hi:
            return False
        window = self.words[lo:hi]
        for pattern in patterns:
            first = pattern.specs[0]
            if len(pattern.specs) == 1 and first.words is not None and not first.optional:
                if not first.words.isdisjoint(window):  # one word: a set test, in C
                    return True
                continue
            head = pattern.head
            if head is None:
                starts: Sequence[int] = range(lo, hi)
            else:
                # Only positions whose word could start the pattern: a set test per
                # word, in a comprehension, is far cheaper than a match attempt each.
                heads = head.words or frozenset()
                head_lemmas = head.lemmas
                lemmas = self.lemmas
                starts = [
                    j
                    for j, word in enumerate(window, lo)
                    if word in heads or (head_lemmas and lemmas[j] in head_lemmas)
                ]
            for j in starts:
                end = self.match(pattern, j)
                if end is not None and end <= hi:
                    return True
        return False


def _match(
    tokens: Tokens,
    specs: Sequence[TokenSpec],
    k: int,
    i: int,
    *,
    first: bool,
    loose: bool = False,
) -> int | None:
    """Match ``specs[k:]`` from word ``i``. ``loose``: after a gap, so the next word
    need only be in the same sentence, not joined to the word before."""
    if k == len(specs):
        return i
    spec = specs[k]
    words = tokens.words
    n = len(words)
    if spec.gap:
        # Try the shortest gap first; every word taken must stay in the sentence.
        for skip in range(spec.gap + 1):
            j = i + skip
            if j >= n:
                break
            # The gap's last word (j - 1) must follow the word before it in one sentence.
            if skip and tokens.breaks_sentence(j - 1):
                break
            end = _match(tokens, specs, k + 1, j, first=False, loose=True)
            if end is not None:
                return end
        return None
    if (
        i < n
        and spec.accepts(words[i], tokens.lemmas[i])
        and (first or (not tokens.breaks_sentence(i) if loose else tokens.joined(i)))
    ):
        end = _match(tokens, specs, k + 1, i + 1, first=False)
        if end is not None:
            return end
    if spec.optional:
        return _match(tokens, specs, k + 1, i, first=first, loose=loose)
    return None
