"""Offline readability checks for everything a young person reads.

We estimate a reading age with the Flesch-Kincaid grade (reading age = grade + 5,
the usual UK conversion) and list long words that are not everyday words. Short
texts give noisy grades, so callers check a whole instrument or worksheet as one
body of text, and each question for length and hard words.
"""

from __future__ import annotations

import re

import attrs

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+")

# Words of three or more syllables that young people meet every day. Anything else of
# three or more syllables counts as a hard word.
EVERYDAY_WORDS = frozenset(
    (
        "anyone",
        "anybody",
        "anything",
        "everyone",
        "everybody",
        "everything",
        "family",
        "families",
        "another",
        "whatever",
        "whoever",
        "however",
        "together",
        "yesterday",
        "tomorrow",
        "understand",
        "understood",
        "video",
        "videos",
        "police",
        "already",
        "usually",
        "really",
        "actually",
        "money",
        "computer",
        "phone",
        "grandad",
        "grandma",
        "grandmother",
        "grandfather",
        "grandparent",
        "grandparents",
        "somebody",
        "anywhere",
        "everywhere",
        "sometimes",
        "important",
        "different",
        "happened",
        "happening",
        "remember",
        "teacher",
        "counsellor",
        "okay",
        "relationship",
        "relationships",
        "boyfriend",
        "girlfriend",
        "difficult",
        "favourite",
        "animal",
        "holiday",
        "holidays",
        "hospital",
        "company",
        "energy",
        "youth",
        "officer",
        "worker",
        "neighbour",
        "neighbours",
        "nobody",
        "stepmum",
        "stepdad",
        "brother",
        "sister",
        "feeling",
        "feelings",
        "partner",
        "partners",
        "area",
        "cinema",
        "library",
        "several",
        "something",
        "somewhere",
        "everyday",
    )
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def syllables(word: str) -> int:
    """A rule-of-thumb syllable count for an English word (at least 1)."""
    w = word.lower().replace("’", "'").split("'")[0]
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    groups = re.findall(r"[aeiouy]{1,2}", w)
    return max(1, len(groups))


def sentences(text: str) -> int:
    parts = [p for p in _SENTENCE_END.split(text) if words(p)]
    return max(1, len(parts))


@attrs.frozen
class Readability:
    words: int
    sentences: int
    syllables: int
    hard_words: tuple[str, ...]

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level."""
        if self.words == 0:
            return 0.0
        return 0.39 * (self.words / self.sentences) + 11.8 * (self.syllables / self.words) - 15.59

    @property
    def reading_age(self) -> float:
        """Approximate UK reading age in years."""
        return max(5.0, self.grade + 5.0)


def measure(text: str) -> Readability:
    """Measure a body of text."""
    ws = words(text)
    hard = tuple(
        sorted({w.lower() for w in ws if syllables(w) >= 3 and w.lower() not in EVERYDAY_WORDS})
    )
    return Readability(
        words=len(ws),
        sentences=sentences(text),
        syllables=sum(syllables(w) for w in ws),
        hard_words=hard,
    )


def problems(text: str, *, max_words: int = 15, max_hard_words: int = 0) -> list[str]:
    """Why a single question or line is too hard for a young reader (empty if fine)."""
    found: list[str] = []
    for part in (p for p in _SENTENCE_END.split(text) if words(p)):
        n = len(words(part))
        if n > max_words:
            found.append(f"{n} words in one sentence (at most {max_words})")
    hard = measure(text).hard_words
    if len(hard) > max_hard_words:
        found.append(f"hard words: {', '.join(hard)}")
    return found
