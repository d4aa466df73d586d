"""The recording-language check: text in, findings out. Pure, no I/O beyond loading rules.

How it works, and why it is fast enough for a megabyte of notes:

1. The text is split into words once (one regular-expression pass).
2. Each rule pattern is indexed by the words it can start with, so each word of the
   text costs one dictionary look-up; only candidate positions are matched further.
3. A match must then pass the rule's context checks (``requires``, ``unless``...).
4. Matches inside quotations (and, for markdown, code) are dropped: they are someone
   else's words, not the writer's.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right

import attrs

from snt_youth.errors import InvalidInput
from snt_youth.language.patterns import Tokens
from snt_youth.language.quotes import Span, exempt_spans
from snt_youth.language.rules import CompiledRule, RuleSet, load

# Far beyond any case note; protects the TUI and CLI from a mistaken huge file.
MAX_CHARS = 20_000_000


@attrs.frozen
class Finding:
    """One piece of wording the check suggests changing.

    ``start``/``end`` are character offsets into the checked text (``text[start:end]``
    is the matched wording); ``line`` and ``column`` count from 1.
    """

    start: int
    end: int
    line: int
    column: int
    text: str
    rule_id: str
    category: str
    explanation: str
    suggestions: tuple[str, ...]


def as_text(data: str | bytes) -> str:
    """The input as text, or :class:`InvalidInput` saying why it cannot be checked."""
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise InvalidInput(_BINARY)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(
                "The input is not UTF-8 text; save the notes as plain UTF-8 text and try again."
            ) from None
    if "\x00" in data:
        raise InvalidInput(_BINARY)
    if len(data) > MAX_CHARS:
        raise InvalidInput(
            f"The input is {len(data) // 1_000_000} million characters long, more than the "
            f"{MAX_CHARS // 1_000_000} million the check accepts; split it into smaller files."
        )
    return data


_BINARY = (
    "The input contains NUL bytes, so it looks like a binary file, not notes; "
    "give a plain text file."
)


def check(
    text: str | bytes, *, rules: RuleSet | None = None, markdown: bool = False
) -> list[Finding]:
    """Findings for ``text``, in order of position.

    ``rules`` defaults to the shipped rules. With ``markdown`` code spans and fenced
    code blocks are skipped as well as quotations. Empty text has no findings.
    Raises :class:`~snt_youth.errors.InvalidInput` for binary or undecodable input.
    """
    text = as_text(text)
    ruleset = rules if rules is not None else load()
    if not text.strip():
        return []
    tokens = Tokens(text)
    candidates = _token_candidates(tokens, ruleset)
    exempt = exempt_spans(text, markdown=markdown)
    starts, ends = tokens.starts, tokens.ends
    compiled = ruleset.compiled

    def found(picked: list[tuple[int, int, int]]) -> list[Match]:
        # Context is checked last, and only for matches that could still be shown.
        return [
            (starts[i], ends[end - 1], n)
            for i, end, n in picked
            if not _overlaps(starts[i], ends[end - 1], exempt)
            and _context_ok(compiled[n], tokens, i, end)
        ]

    phrase = found([c for c in candidates if not ruleset.rules[c[2]].frame])
    regex = [m for m in _regex_matches(tokens, ruleset) if not _overlaps(m[0], m[1], exempt)]
    kept = _resolve_overlaps(phrase + [m for m in regex if not ruleset.rules[m[2]].frame])
    frame_regex = [m for m in regex if ruleset.rules[m[2]].frame]
    frame_words = [c for c in candidates if ruleset.rules[c[2]].frame]
    if frame_words or frame_regex:
        # A frame speaks only where no phrase rule has: the phrase's advice is sharper.
        spans = sorted((s, e) for s, e, _ in kept)
        free = found(
            [c for c in frame_words if not _overlaps(starts[c[0]], ends[c[1] - 1], spans)]
        ) + [m for m in frame_regex if not _overlaps(m[0], m[1], spans)]
        kept = sorted(kept + _resolve_overlaps(free))
    if not kept:
        return []
    newlines = [m.start() for m in re.finditer("\n", text)]
    findings = []
    for start, end, n in kept:
        rule = ruleset.rules[n]
        line = bisect_left(newlines, start) + 1
        line_start = newlines[line - 2] + 1 if line > 1 else 0
        findings.append(
            Finding(
                start=start,
                end=end,
                line=line,
                column=start - line_start + 1,
                text=text[start:end],
                rule_id=rule.id,
                category=rule.category,
                explanation=rule.explanation,
                suggestions=rule.suggestions,
            )
        )
    return findings


Match = tuple[int, int, int]  # start, end, rule index


def _token_candidates(tokens: Tokens, ruleset: RuleSet) -> list[tuple[int, int, int]]:
    """Every (first word, word after the last, rule) a pattern matches, context unchecked.

    One rule's patterns often match the same words; the set checks their context once.
    """
    found: set[tuple[int, int, int]] = set()
    index = ruleset.index
    lemma_index = ruleset.lemma_index
    words = tokens.words
    lemmas = tokens.lemmas
    # Filtering in a comprehension is several times faster than a loop over every word.
    candidates = [(j, index[word]) for j, word in enumerate(words) if word in index]
    if lemma_index:
        candidates += [
            (j, lemma_index[lem]) for j, lem in enumerate(tokens.lemmas) if lem in lemma_index
        ]
    for j, pairs in candidates:
        for n, pattern in pairs:
            # The anchor word is at j; the match starts up to max_before words earlier.
            head = pattern.head
            for i in range(max(j - pattern.max_before, 0), j - pattern.min_before + 1):
                if head is not None and i != j and not head.accepts(words[i], lemmas[i]):
                    continue  # cheaper than a match attempt that fails at its first word
                end = tokens.match(pattern, i)
                if end is not None:
                    found.add((i, end, n))
    return sorted(found)


def _regex_matches(tokens: Tokens, ruleset: RuleSet) -> list[Match]:
    found: list[Match] = []
    for n, comp in enumerate(ruleset.compiled):
        for regex in comp.regex:
            for m in regex.finditer(tokens.text):
                s, e = m.span()
                if s == e:
                    continue
                first = bisect_right(tokens.ends, s)
                last = bisect_left(tokens.starts, e)
                if first >= last or _context_ok(comp, tokens, first, last):
                    found.append((s, e, n))
    return found


def _is_question(tokens: Tokens, end: int) -> bool:
    """Whether the sentence holding the words before ``end`` ends with a question mark."""
    last = tokens.ends[end - 1]
    ends = tokens.sentence_ends
    k = bisect_left(ends, last)
    stop = ends[k] if k < len(ends) else len(tokens.text)
    # The sentence's closing marks: "?", "?!" or '?"' all ask.
    return "?" in tokens.text[last:stop].rstrip()[-3:]


def _context_ok(comp: CompiledRule, tokens: Tokens, i: int, end: int) -> bool:
    rule = comp.rule
    if rule.skip_questions and _is_question(tokens, end):
        return False
    if comp.requires or comp.unless:
        lo = tokens.reach(i, rule.window, -1, sentence=False)
        hi = tokens.reach(end, rule.window, +1, sentence=False)
        if comp.requires and not tokens.find_any(comp.requires, lo, hi):
            return False
        if comp.unless and tokens.find_any(comp.unless, lo, hi):
            return False
    if comp.unless_before:
        lo = tokens.reach(i, rule.before_window, -1, sentence=True)
        if tokens.find_any(comp.unless_before, lo, i):
            return False
    if comp.unless_after:
        hi = tokens.reach(end, rule.after_window, +1, sentence=True)
        if tokens.find_any(comp.unless_after, end, hi):
            return False
    return True


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    k = bisect_right(spans, (start, sys.maxsize)) - 1
    if k >= 0 and spans[k][1] > start:
        return True
    return k + 1 < len(spans) and spans[k + 1][0] < end


def _resolve_overlaps(matches: list[Match]) -> list[Match]:
    """Keep one finding per piece of wording: drop any match inside a longer one."""
    matches.sort(key=lambda m: (m[0], m[0] - m[1], m[2]))
    kept: list[Match] = []
    reach = -1  # furthest end of the kept matches so far
    last_end_by_rule: dict[int, int] = {}
    for start, end, n in matches:
        if end <= reach:
            continue  # inside (or equal to) a match already kept
        if last_end_by_rule.get(n, -1) > start:
            continue  # the same rule already flagged overlapping wording
        kept.append((start, end, n))
        reach = max(reach, end)
        last_end_by_rule[n] = end
    return kept
