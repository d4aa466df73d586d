"""File review for champions: what each case note shows, and a team summary without names.

Safe & Together practice audits case files for three things a good record shows:

- **actor named**: the person causing harm is written as the one doing it
  ("Mr B hit Ms A", "his violence");
- **protective effort**: something the survivor or another adult did to keep the
  child safe ("Ms A took the children to her sister's");
- **child's experience**: what the child saw, heard, felt or did ("Jay hid upstairs",
  "he was frightened").

This module is pure: give it notes (any objects with ``case_ref``, ``written_on``
and ``text``), get back findings and markers. The markers are word cues, like the
language check: a prompt for the champion's reading, not a score of the worker.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from snt_youth.language import engine, rules
from snt_youth.language.quotes import exempt_spans

MARKERS: dict[str, str] = {
    "actor-named": "the person causing harm is named as the one doing it",
    "protective-effort": "a protective effort by the survivor or another adult is recorded",
    "child-experience": "the child's own experience is described",
}

_PERSON_CAUSING_HARM = (
    r"(?:he|mr\s+\w+|dad|father|stepdad|stepfather|step-dad|partner|boyfriend|ex-partner"
    r"|husband|his\s+(?:dad|father|stepdad|stepfather))"
)
_HARM_VERB = (
    r"(?:hit|hits|punched|kicked|pushed|slapped|strangled|choked|assaulted|attacked|"
    r"threatened|threatens|controlled|controls|abused|abuses|hurt|hurts|shouted|smashed|"
    r"grabbed|stopped|took|takes|locked|followed|tracks|checks|checked|has\s+used|used|"
    r"uses|has\s+been\s+(?:violent|abusive|controlling))"
)
_ACTOR = re.compile(
    rf"\b{_PERSON_CAUSING_HARM}\s+(?:\w+\s+){{0,2}}?{_HARM_VERB}\b"
    r"|\bhis\s+(?:violence|abuse|threats|control|controlling|assault|assaults|behaviour)\b"
    r"|\bby\s+(?:her|his)\s+(?:partner|ex-partner|boyfriend|husband|dad|father|stepdad)\b"
    r"|\bby\s+mr\s+\w+\b",
    re.IGNORECASE,
)
_PROTECTIVE = re.compile(
    r"\b(?:took|takes|taken|moved|called|rang|phoned|changed|hid|hides|kept|keeps|"
    r"protected|protects|left|got)\b[^.!?\n]{0,60}?"
    r"\b(?:safe|safety|police|sister|refuge|away|locks|children|kids|out|help|999|diary)\b"
    r"|\bsafety\s+plan\b|\bnon-molestation\b|\bprotective\s+(?:step|steps|action|actions|parent)\b"
    r"|\bto\s+keep\s+(?:him|her|them|the\s+children)\s+safe\b",
    re.IGNORECASE,
)
_CHILD = re.compile(
    r"\b(?:he|she|they|jay|the\s+child|[A-Z][a-z]+)\s+(?:said|says|told|tells|felt|feels|"
    r"was\s+(?:frightened|scared|worried|upset)|is\s+(?:frightened|scared|worried|upset)|"
    r"hid|hides|heard|hears|saw|sees|cried|cries|ran|runs|wants|wanted|described|named|"
    r"worries|misses|likes)\b",
)


class NoteLike(Protocol):
    """What the review needs from a stored note."""

    @property
    def case_ref(self) -> str: ...

    @property
    def written_on(self) -> dt.date: ...

    @property
    def text(self) -> str: ...


class _Person(Protocol):
    @property
    def case_ref(self) -> str: ...


class NoteSource(Protocol):
    """The Casebook reads the review uses: young people (by team), and their notes."""

    def young_people(self, *, team: str | None = None) -> Sequence[_Person]: ...

    def notes(self, case_ref: str) -> Sequence[NoteLike]: ...


def stored_notes(book: NoteSource, *, team: str | None = None) -> list[NoteLike]:
    """Every stored case note of a team (all teams by default), through the Casebook's reads."""
    return [note for person in book.young_people(team=team) for note in book.notes(person.case_ref)]


def review_book(
    book: NoteSource, *, team: str | None = None, since: dt.date | None = None
) -> tuple[list[NoteReview], TeamSummary]:
    """The reviews of a team's stored notes, and their team summary (for the CLI and the TUI)."""
    reviews = review(stored_notes(book, team=team), since=since)
    return reviews, summarise(reviews)


@attrs.frozen
class NoteReview:
    """One note's findings and the documentation markers it shows."""

    case_ref: str
    written_on: dt.date
    findings: tuple[engine.Finding, ...]
    markers: frozenset[str]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(f.rule_id for f in self.findings)


@attrs.frozen
class TeamSummary:
    """Counts for a champions' meeting: no names, no case references, no note text."""

    notes: int
    notes_with_findings: int
    findings: int
    by_category: dict[str, int]
    by_marker: dict[str, int]
    top_rules: tuple[tuple[str, int], ...]

    def lines(self) -> list[str]:
        """The summary as plain lines, for the terminal and the PDF."""
        out = [
            f"Notes reviewed: {self.notes}",
            f"Notes with wording to look at: {self.notes_with_findings}",
            f"Findings: {self.findings}",
            "",
            "Findings by category:",
            *(f"  {name}: {count}" for name, count in self.by_category.items()),
            "",
            "Notes showing each marker:",
            *(f"  {MARKERS[name]}: {count}" for name, count in self.by_marker.items()),
        ]
        if self.top_rules:
            out += ["", "Most common findings:", *(f"  {r}: {n}" for r, n in self.top_rules)]
        return out


def markers(text: str) -> frozenset[str]:
    """The documentation markers a note shows (quoted words do not count)."""
    chars = list(text)
    for start, end in exempt_spans(text, markdown=False):
        chars[start:end] = " " * (end - start)
    plain = "".join(chars)
    found = set()
    if _ACTOR.search(plain):
        found.add("actor-named")
    if _PROTECTIVE.search(plain):
        found.add("protective-effort")
    if _CHILD.search(plain):
        found.add("child-experience")
    return frozenset(found)


def review_note(note: NoteLike, ruleset: rules.RuleSet | None = None) -> NoteReview:
    """The review of one note."""
    return NoteReview(
        case_ref=note.case_ref,
        written_on=note.written_on,
        findings=tuple(engine.check(note.text, rules=ruleset)),
        markers=markers(note.text),
    )


def review(
    notes: Iterable[NoteLike],
    *,
    since: dt.date | None = None,
    ruleset: rules.RuleSet | None = None,
) -> list[NoteReview]:
    """Reviews of the notes written on or after ``since`` (all, by default), oldest first."""
    chosen = [n for n in notes if since is None or n.written_on >= since]
    chosen.sort(key=lambda n: (n.written_on, n.case_ref))
    return [review_note(n, ruleset) for n in chosen]


def summarise(reviews: Sequence[NoteReview], *, top: int = 5) -> TeamSummary:
    """The team summary of a set of note reviews."""
    rule_counts: Counter[str] = Counter()
    by_category = dict.fromkeys(rules.CATEGORIES, 0)
    by_marker = dict.fromkeys(MARKERS, 0)
    for item in reviews:
        for finding in item.findings:
            rule_counts[finding.rule_id] += 1
            by_category[finding.category] += 1
        for marker in item.markers:
            by_marker[marker] += 1
    return TeamSummary(
        notes=len(reviews),
        notes_with_findings=sum(1 for r in reviews if r.findings),
        findings=sum(len(r.findings) for r in reviews),
        by_category=by_category,
        by_marker=by_marker,
        top_rules=tuple(sorted(rule_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]),
    )
