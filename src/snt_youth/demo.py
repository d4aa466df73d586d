"""A synthetic caseload for trying snt-youth, made entirely through the Casebook.

Young people across every team, screened pre-court and post-court over the last six
quarters, with support offered, accepted, attended and completed at realistic
rates, direct-work sessions and case notes. Everything is made up; the same seed
gives the same data (dates are counted back from the day it runs).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from snt_youth import model
from snt_youth.casebook import Casebook
from snt_youth.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

FIRST_NAMES = (
    "Kai", "Mia", "Leo", "Ava", "Zak", "Ruby", "Jay", "Isla", "Max", "Aisha", "Tom", "Nia",
    "Ali", "Ella", "Rhys", "Zoe", "Sam", "Amir", "Lily", "Dan", "Eve", "Omar", "Cara", "Ben",
)  # fmt: skip
ETHNICITY_WEIGHTS = (
    (model.Ethnicity.WHITE, 66),
    (model.Ethnicity.BLACK, 11),
    (model.Ethnicity.ASIAN, 9),
    (model.Ethnicity.MIXED, 9),
    (model.Ethnicity.OTHER, 3),
    (model.Ethnicity.NOT_STATED, 2),
)
GENDER_WEIGHTS = (
    (model.Gender.MALE, 78),
    (model.Gender.FEMALE, 19),
    (model.Gender.OTHER, 1),
    (model.Gender.NOT_STATED, 2),
)
ENTRY_WORDS = {
    "safe": ("took me to Nan's house", "called the police", "stood in front of me"),
    "steady": ("got me to school every day", "kept our routine going", "made tea every night"),
    "better": ("listened to me", "said it was not my fault", "gave me a hug"),
    "cared": ("made sure I had clean clothes", "came to my football", "cooked my tea"),
}
PEOPLE = ("Mum", "Nan", "Grandad", "Aunty", "Big sister", "Teacher", "Youth worker", "Neighbour")
NOTES = (
    "Met at the youth justice office. Talked about school and football.",
    "Mum has kept the children safe by moving to her sister's house.",
    "Dad's violence towards Mum has affected sleep and school attendance.",
    "Discussed the safety plan. Knows who to call if scared.",
)


def _weighted(rng: random.Random, pairs: tuple[tuple[E, int], ...]) -> E:
    values, weights = zip(*pairs, strict=True)
    chosen: E = rng.choices(values, weights=weights)[0]
    return chosen


def _answers(book: Casebook, rng: random.Random, profile: dict[str, bool]) -> dict[str, str]:
    """Answers for every question that applies, shaped by a profile of what is happening."""
    from snt_youth.screening import next_item

    instrument = book.instrument()
    answers: dict[str, str] = {}
    while (item := next_item(instrument, answers)) is not None:
        codes = item.codes
        concern = list(item.concern)
        if rng.random() < 0.04:  # some questions are not answered
            code = rng.choice(["not-sure", "prefer-not-to-say"])
        elif item.is_gate:
            code = "yes" if profile["partner"] else "no"
        elif item.outcome == "home" and profile["home"] and concern and rng.random() < 0.5:
            code = "yes-now" if profile["ongoing"] and "yes-now" in codes else concern[-1]
        elif _discloses(item.outcome, profile, rng):
            code = concern[0] if concern else codes[0]
        elif item.outcome == "safety" and profile["danger"] and concern:
            code = concern[0]
        else:
            safe = [c for c in codes if c not in concern and c not in _MISSING]
            code = safe[0] if safe else codes[0]
        if code not in codes:
            code = "not-sure"
        answers[item.id] = code
    return answers


_MISSING = ("not-sure", "prefer-not-to-say", "not-asked")
# How often a young person whose relationship profile holds says yes to each question.
_RELATIONSHIP_RATES = {"relationship": ("rel", 0.4), "own_behaviour": ("own", 0.3)}


def _discloses(outcome: str, profile: dict[str, bool], rng: random.Random) -> bool:
    if outcome not in _RELATIONSHIP_RATES:
        return False
    key, rate = _RELATIONSHIP_RATES[outcome]
    return profile[key] and rng.random() < rate


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = max(0, (end - start).days)
    return start + dt.timedelta(days=rng.randint(0, span))


def populate(
    book: Casebook,
    *,
    n: int = 60,
    seed: int = 1,
    progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Create ``n`` synthetic young people with their screenings, support and sessions.

    All or nothing: the whole caseload is written in one transaction, so a demo that
    is stopped or killed half way leaves the database as it was.
    """
    with book.all_or_nothing():
        return _populate(book, n=n, seed=seed, progress=progress)


def _populate(
    book: Casebook, *, n: int, seed: int, progress: Callable[[int], object] | None
) -> dict[str, int]:
    if not book.is_empty():
        raise InvalidInput(
            "This database already has young people. Demo data is only loaded into an empty "
            "database, so it never mixes with real records: use --db with a new file."
        )
    rng = random.Random(seed)
    end = book.clock.today()
    start = end - dt.timedelta(days=540)
    teams = [t.id for t in book.config.teams]
    counts = {"young_people": 0, "screenings": 0, "offers": 0, "sessions": 0}
    for i in range(n):
        ref = f"YJ-{1001 + i}"
        age = rng.choices(range(10, 18), weights=(1, 2, 4, 7, 10, 12, 11, 9))[0]
        dob = end - dt.timedelta(days=age * 365 + rng.randint(30, 330))
        team = teams[-1] if rng.random() < 0.12 else rng.choice(teams[:-1])
        known_as = rng.choice(FIRST_NAMES) if rng.random() < 0.8 else None
        if known_as is None and rng.random() < 0.5:
            known_as = f"{rng.choice('ABCDEJKLMRST')}{rng.choice('ABCDHJMPRSW')}"
        book.add_young_person(
            ref,
            dob,
            team,
            gender=_weighted(rng, GENDER_WEIGHTS),
            ethnicity=_weighted(rng, ETHNICITY_WEIGHTS),
            known_as=known_as,
            language=model.Language.WELSH if rng.random() < 0.05 else model.Language.ENGLISH,
            officer=rng.choice(("A. Officer", "B. Officer", "C. Officer")),
        )
        counts["young_people"] += 1
        profile = {
            "home": rng.random() < 0.45,
            "ongoing": rng.random() < 0.35,
            "partner": rng.random() < 0.35 and age >= 13,
            "rel": rng.random() < 0.4,
            "own": rng.random() < 0.2,
            "danger": rng.random() < 0.06,
        }
        first = _date_between(rng, start, end - dt.timedelta(days=20))
        stages = [(model.Stage.PRE_COURT, first)]
        second = first + dt.timedelta(days=rng.randint(45, 150))
        if second < end and rng.random() < 0.65:
            stages.append((model.Stage.POST_COURT, second))
        for stage, on in stages:
            if stage is model.Stage.POST_COURT:
                profile["ongoing"] = profile["ongoing"] and rng.random() < 0.5
                profile["danger"] = profile["danger"] and rng.random() < 0.3
            if on > end - dt.timedelta(days=3) and rng.random() < 0.5:
                draft = book.start_screening(ref, stage, screened_on=on)
                for item_id, code in list(_answers(book, rng, profile).items())[:5]:
                    book.answer(draft.id, item_id, code)
                counts["screenings"] += 1
                continue
            answers = _answers(book, rng, profile)
            try:
                result = book.record_screening(ref, stage, answers, screened_on=on)
            except InvalidInput:  # a safety concern: the officer records what they did
                result = book.record_screening(
                    ref,
                    stage,
                    answers,
                    screened_on=on,
                    action="Talked with my manager and made a referral under the local procedure.",
                )
            counts["screenings"] += 1
            if result.suggestions and rng.random() < 0.88:
                counts["offers"] += 1
                counts["sessions"] += _support(book, rng, ref, result, on, end)
        if rng.random() < 0.5:
            book.add_note(ref, rng.choice(NOTES), written_on=_date_between(rng, first, end))
        if progress:
            progress(1)
    return counts


def _support(
    book: Casebook,
    rng: random.Random,
    ref: str,
    result: object,
    screened_on: dt.date,
    end: dt.date,
) -> int:
    """Offer support after a screening and play out the young person's journey."""
    from snt_youth.casebook import Assessment

    assert isinstance(result, Assessment)
    service = rng.choice(result.suggestions)
    offered_on = min(end, screened_on + dt.timedelta(days=rng.randint(0, 10)))
    offer = book.offer_support(
        ref, service.id, offered_on=offered_on, screening_id=result.screening.id
    )
    roll = rng.random()
    if roll < 0.12:
        book.decline_offer(offer.id)
        return 0
    if roll < 0.22:
        return 0  # no response yet
    started = min(end, offered_on + dt.timedelta(days=rng.randint(1, 14)))
    book.accept_offer(offer.id)
    book.start_support(offer.id, on=started)
    if rng.random() < 0.15:
        return 0  # accepted but not yet attended
    sessions = 0
    held = started
    for _ in range(rng.randint(1, 4)):
        if held > end:
            break
        if service.kind == "internal":
            entries = []
            if rng.random() < 0.8:
                for _ in range(rng.randint(1, 3)):
                    domain = rng.choice(list(ENTRY_WORDS))
                    entries.append(
                        model.MatrixEntry(
                            rng.choice(PEOPLE), domain, rng.choice(ENTRY_WORDS[domain])
                        )
                    )
            matrix = "who-helps-me-now" if service.id == "safety-planning" else "who-kept-me-safe"
            book.record_session(
                ref,
                matrix,
                _to_domains(book, matrix, entries),
                held_on=held,
                offer_id=offer.id,
                reflection="I did not know Mum did so much." if entries else "",
            )
            sessions += 1
        else:
            book.record_contact(offer.id)
        held = held + dt.timedelta(days=rng.randint(7, 21))
    last = min(end, held)
    outcome = rng.random()
    if outcome < 0.5 and last > started:
        book.end_support(offer.id, "completed", on=last)
    elif outcome < 0.62 and last > started:
        book.end_support(offer.id, "disengaged", on=last)
    elif outcome < 0.66 and last > started:
        book.end_support(offer.id, "moved away", on=last)
    return sessions


def _to_domains(
    book: Casebook, matrix_id: str, entries: list[model.MatrixEntry]
) -> list[model.MatrixEntry]:
    """Map demo domain names onto the matrix's own column ids, in column order."""
    from snt_youth.protect import load_matrix

    columns = [c.id for c in load_matrix(matrix_id).columns]
    order = list(ENTRY_WORDS)
    return [
        model.MatrixEntry(e.person, columns[order.index(e.domain) % len(columns)], e.words)
        for e in entries
    ]
