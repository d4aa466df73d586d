"""The de-identified research extract: pure, from plain rows to CSV files.

What it does to the records (the Casebook gathers the rows and keeps the key):

- **Pseudonyms.** Every young person gets a new random pseudonym in every extract,
  so two extracts cannot be joined without the key the service keeps.
- **Dates.** Every date of one young person is moved by the same random number of
  days (between 1 and :data:`MAX_SHIFT` either way), so intervals are kept exactly.
  Ages are given in whole years at each event (from the real dates), never the date
  of birth. Record numbers are given afresh in each extract.
- **No free text.** Nothing written in words is copied: no notes, reflections, next
  steps, matrix words, safety actions, judgement reasons or known-as. A matrix entry
  becomes its protective domain and the kind of adult (:func:`adult_kind`).
- **Small groups.** The quasi-identifiers are team, gender, ethnic group and age.
  Ages are widened (whole years, then bands, then under 18 or 18+, then any age)
  and then teams are merged (locality teams together, then all teams), one step at
  a time, until the young people whose combination is held by fewer than k are at
  most :data:`MAX_LEFT_OUT` of everyone (or nothing is left to widen). Those young
  people are left out of the extract, and the report says how many.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from snt_youth import model, vocabulary
from snt_youth.tracking.exports import csv_safe

Row = Mapping[str, Any]
MAX_SHIFT = 182
#: The share of young people that may be left out before groups are widened further.
MAX_LEFT_OUT = 0.05
DEFAULT_K = 5
QUASI_IDENTIFIERS = ("team", "gender", "ethnic_group", "age")
# Age levels: 0 whole years; 1 the report bands; 2 under 18 and 18+; 3 any age.
AGE_LEVELS = ("whole years", "age bands 10-13, 14-15, 16-17, 18+", "under 18 or 18+", "any age")
TEAM_LEVELS = ("each team", "locality teams together, ISS apart", "all teams together")
MERGED_LOCALITY = "locality"
ALL_TEAMS = "all teams"
ANY_AGE = "any"

# The kind of adult a matrix entry names, from the words of its person (never copied).
ADULT_KINDS: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "grandparent",
        "a grandparent",
        frozenset(
            [
                "nan",
                "nana",
                "nanna",
                "nanny",
                "gran",
                "granny",
                "grandma",
                "grandmother",
                "grandad",
                "granddad",
                "grandpa",
                "grandfather",
                "grandparent",
                "grandparents",
            ]
        ),
    ),
    (
        "parent",
        "a parent or carer",
        frozenset(
            [
                "mum",
                "mam",
                "mom",
                "mummy",
                "mother",
                "dad",
                "daddy",
                "father",
                "parent",
                "parents",
                "carer",
                "carers",
                "foster",
                "stepmum",
                "stepdad",
                "stepmother",
                "stepfather",
                "guardian",
            ]
        ),
    ),
    ("sibling", "a brother or sister", frozenset(["sister", "brother", "sibling", "sis", "bro"])),
    (
        "family",
        "other family",
        frozenset(
            [
                "aunt",
                "aunty",
                "auntie",
                "uncle",
                "cousin",
                "family",
                "godmother",
                "godfather",
                "godparent",
            ]
        ),
    ),
    (
        "teacher",
        "a teacher or school staff",
        frozenset(
            [
                "teacher",
                "teachers",
                "tutor",
                "head",
                "headteacher",
                "school",
                "college",
                "assistant",
            ]
        ),
    ),
    ("neighbour", "a neighbour", frozenset(["neighbour", "neighbor"])),
    (
        "youth-worker",
        "a youth worker, coach or mentor",
        frozenset(["youth", "coach", "leader", "mentor", "club"]),
    ),
    (
        "professional",
        "another professional",
        frozenset(
            [
                "doctor",
                "nurse",
                "gp",
                "police",
                "officer",
                "counsellor",
                "therapist",
                "keyworker",
                "social",
                "worker",
            ]
        ),
    ),
    ("partner", "a partner", frozenset(["boyfriend", "girlfriend", "partner"])),
    ("friend", "a friend", frozenset(["friend", "friends"])),
)
FRIENDS_PARENT = ("friends-parent", "a friend's parent")
NOT_KNOWN_KIND = ("not-known", "not known (a first name only, or no role word)")
KIND_CODES: tuple[tuple[str, str], ...] = (
    *((code, label) for code, label, _w in ADULT_KINDS[:6]),
    FRIENDS_PARENT,
    *((code, label) for code, label, _w in ADULT_KINDS[6:]),
    NOT_KNOWN_KIND,
)


def adult_kind(person: str) -> str:
    """The kind of adult (a code of :data:`KIND_CODES`) for a matrix entry's person."""
    words = [w.lower().strip(".,'") for w in person.replace("-", " ").split()]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    if any(w in ("friend", "friends") for w in words) and any(
        w in ADULT_KINDS[1][2] for w in words
    ):
        return FRIENDS_PARENT[0]
    for code, _label, vocabulary_words in ADULT_KINDS:
        if any(w in vocabulary_words for w in words):
            return code
    return NOT_KNOWN_KIND[0]


# -- small groups ---------------------------------------------------------------------
def age_group(age: int, level: int) -> str:
    if level == 0:
        return str(age)
    if level == 1:
        from snt_youth.tracking.report import age_band

        return age_band(age)
    if level == 2:
        return "18+" if age >= 18 else "under 18"
    return ANY_AGE


def team_group(team: str, level: int, iss_teams: frozenset[str]) -> str:
    if level == 0:
        return team
    if level == 1:
        return team if team in iss_teams else MERGED_LOCALITY
    return ALL_TEAMS


def classes(records: Iterable[Mapping[str, str]]) -> Counter[tuple[str, ...]]:
    """How many young people hold each combination of the quasi-identifiers."""
    return Counter(tuple(r[q] for q in QUASI_IDENTIFIERS) for r in records)


def smallest_class(records: Iterable[Mapping[str, str]]) -> int:
    """The k the records reach (0 when there are none)."""
    found = classes(records)
    return min(found.values()) if found else 0


@attrs.frozen
class Coarsening:
    """What was done so that every combination is held by at least k young people."""

    k: int
    age_level: int
    team_level: int
    left_out: int
    reached: int

    def describe(self) -> list[str]:
        lines = [f"Ages are given as {AGE_LEVELS[self.age_level]}."]
        lines.append(f"Teams are given as {TEAM_LEVELS[self.team_level]}.")
        if self.left_out:
            lines.append(
                f"{self.left_out} young people were left out: their combination of team, "
                f"gender, ethnic group and age was held by fewer than {self.k}."
            )
        if self.reached:
            lines.append(f"Every combination is held by at least {self.reached} young people.")
        else:
            lines.append("No young person is in the extract.")
        return lines


def coarsen(
    people: Sequence[Mapping[str, Any]], k: int, iss_teams: frozenset[str]
) -> tuple[dict[int, dict[str, str]], Coarsening]:
    """Quasi-identifiers per person id, coarsened until every combination has k or more.

    ``people`` rows have ``id``, ``team``, ``gender``, ``ethnicity`` and ``age``.
    """

    def build(age_level: int, team_level: int) -> dict[int, dict[str, str]]:
        return {
            p["id"]: {
                "team": team_group(p["team"], team_level, iss_teams),
                "gender": p["gender"],
                "ethnic_group": p["ethnicity"],
                "age": age_group(p["age"], age_level),
            }
            for p in people
        }

    steps = [(a, 0) for a in range(len(AGE_LEVELS))]
    steps += [(len(AGE_LEVELS) - 1, t) for t in range(1, len(TEAM_LEVELS))]
    allowed = int(len(people) * MAX_LEFT_OUT)
    for age_level, team_level in steps:
        found = build(age_level, team_level)
        sizes = classes(found.values())
        small = {
            pid for pid, r in found.items() if sizes[tuple(r[q] for q in QUASI_IDENTIFIERS)] < k
        }
        if len(small) <= allowed:
            break
    kept = {pid: r for pid, r in found.items() if pid not in small}
    return kept, Coarsening(k, age_level, team_level, len(small), smallest_class(kept.values()))


# -- the extract ----------------------------------------------------------------------
@attrs.frozen
class Extract:
    """The files of one extract (name -> CSV text), its key and what was coarsened."""

    files: dict[str, str]
    keys: tuple[tuple[int, str, int], ...]  # (young person id, pseudonym, days shifted)
    coarsening: Coarsening
    people: int


_ALPHABET = string.ascii_uppercase + string.digits


def _pseudonym(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = rng.getrandbits(52)  # ten base-36 characters from 52 random bits
        letters = []
        for _ in range(10):
            number, digit = divmod(number, 36)
            letters.append(_ALPHABET[digit])
        found = "R" + "".join(letters)
        if found not in taken:
            taken.add(found)
            return found


def _shift(rng: random.Random) -> int:
    days = rng.randint(1, MAX_SHIFT)
    return days if rng.random() < 0.5 else -days


def _csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_safe(_cell(row.get(c))) for c in columns] for row in rows)
    return buffer.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _in(day: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def build_extract(
    rows: Mapping[str, Sequence[Row]],
    *,
    k: int = DEFAULT_K,
    since: dt.date | None = None,
    until: dt.date | None = None,
    iss_teams: Iterable[str] = (),
    domains: Callable[[str, str], str] = lambda _matrix, column: column,
    rng: random.Random | None = None,
) -> Extract:
    """The extract's CSV files from :meth:`ResearchTx.research_rows` rows.

    Events (completed screenings, offers, sessions) dated from ``since`` to ``until``
    are kept; a young person is in the extract with at least one of them.
    ``domains(matrix_id, column_id)`` gives the protective domain of a matrix column.
    """
    rng = rng or random.SystemRandom()
    people = {p["id"]: p for p in rows["young_people"]}
    screenings = [s for s in rows["screenings"] if _in(s["screened_on"], since, until)]
    offers = [o for o in rows["support_offers"] if _in(o["offered_on"], since, until)]
    sessions = [s for s in rows["sessions"] if _in(s["held_on"], since, until)]
    first: dict[int, dt.date] = {}
    for pid, day in [
        *((s["young_person_id"], s["screened_on"]) for s in screenings),
        *((o["young_person_id"], o["offered_on"]) for o in offers),
        *((s["young_person_id"], s["held_on"]) for s in sessions),
    ]:
        first[pid] = min(first.get(pid, day), day)
    candidates = [
        {**people[pid], "age": model.age_on(people[pid]["date_of_birth"], day)}
        for pid, day in sorted(first.items())
    ]
    qis, coarsening = coarsen(candidates, k, frozenset(iss_teams))
    taken: set[str] = set()
    pseudonyms = {pid: _pseudonym(rng, taken) for pid in qis}
    shifts = {pid: _shift(rng) for pid in qis}

    def moved(pid: int, day: dt.date | None) -> dt.date | None:
        return None if day is None else day + dt.timedelta(days=shifts[pid])

    def age(pid: int, day: dt.date) -> str:
        return age_group(model.age_on(people[pid]["date_of_birth"], day), coarsening.age_level)

    def order(pid: int, day: dt.date, rid: int) -> tuple[str, dt.date, int]:
        shifted = moved(pid, day)
        assert shifted is not None
        return (pseudonyms[pid], shifted, rid)

    kept_screenings = sorted(
        (s for s in screenings if s["young_person_id"] in qis),
        key=lambda s: order(s["young_person_id"], s["screened_on"], s["id"]),
    )
    screening_no = {s["id"]: n for n, s in enumerate(kept_screenings, start=1)}
    kept_offers = sorted(
        (o for o in offers if o["young_person_id"] in qis),
        key=lambda o: order(o["young_person_id"], o["offered_on"], o["id"]),
    )
    offer_no = {o["id"]: n for n, o in enumerate(kept_offers, start=1)}
    kept_sessions = sorted(
        (s for s in sessions if s["young_person_id"] in qis),
        key=lambda s: order(s["young_person_id"], s["held_on"], s["id"]),
    )
    session_no = {s["id"]: n for n, s in enumerate(kept_sessions, start=1)}
    answers = [a for a in rows["screening_answers"] if a["screening_id"] in screening_no]
    answers.sort(key=lambda a: (screening_no[a["screening_id"]], a["item_id"]))
    entries = [e for e in rows["session_entries"] if e["session_id"] in session_no]
    entries.sort(key=lambda e: (session_no[e["session_id"]], e["position"]))
    matrix_of = {s["id"]: s["matrix_id"] for s in kept_sessions}
    entry_number: dict[int, int] = defaultdict(int)

    def raised(text: str) -> str:
        import json

        try:
            found = json.loads(text or "[]")
        except ValueError:
            return ""
        names = sorted({str(j.get("outcome")) for j in found if isinstance(j, dict)})
        return " ".join(n for n in names if n in vocabulary.OUTCOME_NAMES)

    def entry_row(e: Row) -> dict[str, object]:
        entry_number[e["session_id"]] += 1
        return {
            "session": session_no[e["session_id"]],
            "entry": entry_number[e["session_id"]],
            "domain": domains(matrix_of[e["session_id"]], e["domain"]),
            "adult_kind": adult_kind(e["person"]),
        }

    files = {
        "young_people.csv": _csv(
            COLUMNS["young_people.csv"],
            sorted(
                ({"person": pseudonyms[pid], **qis[pid]} for pid in qis),
                key=lambda r: str(r["person"]),
            ),
        ),
        "screenings.csv": _csv(
            COLUMNS["screenings.csv"],
            (
                {
                    "screening": screening_no[s["id"]],
                    "person": pseudonyms[s["young_person_id"]],
                    "stage": s["stage"],
                    "screened_on": moved(s["young_person_id"], s["screened_on"]),
                    "age": age(s["young_person_id"], s["screened_on"]),
                    "instrument": s["instrument_id"],
                    "instrument_version": s["instrument_version"],
                    "home": s["home"],
                    "relationship": s["relationship"],
                    "own_behaviour": s["own_behaviour"],
                    "safety": s["safety"],
                    "need_identified": bool(s["need_identified"]),
                    "raised_by_judgement": raised(s["judgements"]),
                }
                for s in kept_screenings
            ),
        ),
        "screening_answers.csv": _csv(
            COLUMNS["screening_answers.csv"],
            (
                {
                    "screening": screening_no[a["screening_id"]],
                    "item": a["item_id"],
                    "response": a["response"],
                }
                for a in answers
            ),
        ),
        "offers.csv": _csv(
            COLUMNS["offers.csv"],
            (
                {
                    "offer": offer_no[o["id"]],
                    "person": pseudonyms[o["young_person_id"]],
                    "screening": screening_no.get(o["screening_id"]),
                    "stage": o["stage"],
                    "offered_on": moved(o["young_person_id"], o["offered_on"]),
                    "age": age(o["young_person_id"], o["offered_on"]),
                    "kind": o["kind"],
                    "service": o["service"],
                    "response": o["response"],
                    "started_on": moved(o["young_person_id"], o["started_on"]),
                    "ended_on": moved(o["young_person_id"], o["ended_on"]),
                    "end_reason": o["end_reason"],
                    "contacts": o["contacts"],
                }
                for o in kept_offers
            ),
        ),
        "sessions.csv": _csv(
            COLUMNS["sessions.csv"],
            (
                {
                    "session": session_no[s["id"]],
                    "person": pseudonyms[s["young_person_id"]],
                    "offer": offer_no.get(s["offer_id"]),
                    "held_on": moved(s["young_person_id"], s["held_on"]),
                    "age": age(s["young_person_id"], s["held_on"]),
                    "matrix": s["matrix_id"],
                    "protective_adult_identified": bool(s["protective_adult_identified"]),
                    "confirmed_by_facilitator": bool(s["confirmed_by_facilitator"]),
                }
                for s in kept_sessions
            ),
        ),
        "session_entries.csv": _csv(
            COLUMNS["session_entries.csv"], (entry_row(e) for e in entries)
        ),
    }
    files["data_dictionary.csv"] = data_dictionary_csv(coarsening)
    keys = tuple((pid, pseudonyms[pid], shifts[pid]) for pid in sorted(qis))
    return Extract(files, keys, coarsening, len(qis))


# -- the data dictionary --------------------------------------------------------------
def _codes(values: Iterable[str]) -> str:
    return "; ".join(values)


_AGE_CODES = "whole years, or a band (see coarsening below)"
_OUTCOME = {o.name: _codes(o.values) for o in vocabulary.OUTCOMES}
DICTIONARY: tuple[tuple[str, str, str, str, str], ...] = (
    # file, column, meaning, codes, how derived
    (
        "young_people.csv",
        "person",
        "The young person's pseudonym in this extract.",
        "R and 10 letters or digits",
        "Random for each young person in each extract; the key stays with the service.",
    ),
    (
        "young_people.csv",
        "team",
        "The young person's team.",
        "team ids, or locality / all teams",
        "The team recorded now; merged when groups are small.",
    ),
    (
        "young_people.csv",
        "gender",
        "Gender as recorded.",
        _codes(g.value for g in model.Gender),
        "As recorded.",
    ),
    (
        "young_people.csv",
        "ethnic_group",
        "ONS top-level ethnic group.",
        _codes(e.value for e in model.Ethnicity),
        "As recorded.",
    ),
    (
        "young_people.csv",
        "age",
        "Age at the young person's first event in the extract.",
        _AGE_CODES,
        "From the real date of birth and the real event date; the date of birth is not given.",
    ),
    (
        "screenings.csv",
        "screening",
        "Screening number in this extract.",
        "1, 2, 3 ...",
        "Numbered afresh in each extract.",
    ),
    ("screenings.csv", "person", "Pseudonym (young_people.csv).", "", "As in young_people.csv."),
    (
        "screenings.csv",
        "stage",
        "When the screening took place.",
        _codes(s.value for s in model.Stage),
        "As recorded.",
    ),
    (
        "screenings.csv",
        "screened_on",
        "Screening date, shifted.",
        "YYYY-MM-DD",
        "Real date moved by the young person's own number of days (1 to 182, either way).",
    ),
    ("screenings.csv", "age", "Age on the screening date.", _AGE_CODES, "From the real dates."),
    (
        "screenings.csv",
        "instrument",
        "The screening instrument used.",
        "instrument id",
        "As recorded.",
    ),
    ("screenings.csv", "instrument_version", "Its version.", "version text", "As recorded."),
    *(
        (
            "screenings.csv",
            o.name,
            o.title + ", as the screening found it.",
            _OUTCOME[o.name],
            "Scored from the answers; raised by the officer's judgement where recorded.",
        )
        for o in vocabulary.OUTCOMES
    ),
    (
        "screenings.csv",
        "need_identified",
        "A need was identified.",
        "yes; no",
        "Abuse at home, a concern in their relationship, or a safety concern now.",
    ),
    (
        "screenings.csv",
        "raised_by_judgement",
        "Outcomes an officer raised by judgement.",
        _codes(vocabulary.OUTCOME_NAMES),
        "Outcome names only; the reasons are not given.",
    ),
    (
        "screening_answers.csv",
        "screening",
        "Screening number (screenings.csv).",
        "",
        "As in screenings.csv.",
    ),
    (
        "screening_answers.csv",
        "item",
        "Question id in the instrument.",
        "item ids (see the instrument's data dictionary: snt-youth screening dictionary)",
        "As recorded.",
    ),
    (
        "screening_answers.csv",
        "response",
        "The answer as a code.",
        "response codes of the item; not-sure, prefer-not-to-say and not-asked "
        "are missing data, never no",
        "As recorded.",
    ),
    ("offers.csv", "offer", "Offer number in this extract.", "1, 2, 3 ...", "Numbered afresh."),
    ("offers.csv", "person", "Pseudonym.", "", "As in young_people.csv."),
    (
        "offers.csv",
        "screening",
        "The screening the offer followed, if recorded.",
        "screening number or empty",
        "As recorded.",
    ),
    (
        "offers.csv",
        "stage",
        "Stage of the offer.",
        _codes(s.value for s in model.Stage),
        "As recorded.",
    ),
    (
        "offers.csv",
        "offered_on",
        "Offer date, shifted.",
        "YYYY-MM-DD",
        "Shifted like every date of the young person.",
    ),
    ("offers.csv", "age", "Age on the offer date.", _AGE_CODES, "From the real dates."),
    (
        "offers.csv",
        "kind",
        "Internal work or an outside service.",
        _codes(k.value for k in model.SupportKind),
        "As recorded.",
    ),
    (
        "offers.csv",
        "service",
        "The support service.",
        "service ids of the configuration",
        "As recorded.",
    ),
    (
        "offers.csv",
        "response",
        "The young person's answer.",
        _codes(r.value for r in model.OfferResponse),
        "As recorded.",
    ),
    ("offers.csv", "started_on", "Start date, shifted.", "YYYY-MM-DD or empty", "Shifted."),
    ("offers.csv", "ended_on", "End date, shifted.", "YYYY-MM-DD or empty", "Shifted."),
    (
        "offers.csv",
        "end_reason",
        "Why the support ended.",
        _codes(e.value for e in model.EndReason),
        "As recorded.",
    ),
    (
        "offers.csv",
        "contacts",
        "Contacts recorded for outside work.",
        "0, 1, 2 ...",
        "As recorded.",
    ),
    (
        "sessions.csv",
        "session",
        "Session number in this extract.",
        "1, 2, 3 ...",
        "Numbered afresh.",
    ),
    ("sessions.csv", "person", "Pseudonym.", "", "As in young_people.csv."),
    (
        "sessions.csv",
        "offer",
        "The offer the session belongs to.",
        "offer number or empty",
        "As recorded.",
    ),
    ("sessions.csv", "held_on", "Session date, shifted.", "YYYY-MM-DD", "Shifted."),
    ("sessions.csv", "age", "Age on the session date.", _AGE_CODES, "From the real dates."),
    ("sessions.csv", "matrix", "The direct-work matrix used.", "matrix ids", "As recorded."),
    (
        "sessions.csv",
        "protective_adult_identified",
        "The young person named at least one adult who tried to keep them safe.",
        "yes; no",
        "As recorded by the facilitator.",
    ),
    (
        "sessions.csv",
        "confirmed_by_facilitator",
        "The facilitator confirmed it.",
        "yes; no",
        "As recorded.",
    ),
    ("session_entries.csv", "session", "Session number.", "", "As in sessions.csv."),
    (
        "session_entries.csv",
        "entry",
        "Entry number within the session.",
        "1, 2, 3 ...",
        "Numbered afresh.",
    ),
    (
        "session_entries.csv",
        "domain",
        "The protective domain of the matrix column.",
        "safety; stability; healing; nurturance",
        "From the matrix's column.",
    ),
    (
        "session_entries.csv",
        "adult_kind",
        "The kind of adult named.",
        _codes(c for c, _l in KIND_CODES),
        "From role words in what was written (for example Nan is a grandparent); "
        "the words themselves are not given.",
    ),
)
COLUMNS: dict[str, tuple[str, ...]] = {}
for _file, _column, *_rest in DICTIONARY:
    COLUMNS.setdefault(_file, ())
    COLUMNS[_file] = (*COLUMNS[_file], _column)


def data_dictionary_csv(coarsening: Coarsening) -> str:
    rows = [
        {"file": f, "column": c, "meaning": m, "codes": codes, "derivation": how}
        for f, c, m, codes, how in DICTIONARY
    ]
    rows += [
        {
            "file": "(coarsening)",
            "column": f"note {i}",
            "meaning": line,
            "codes": "",
            "derivation": "",
        }
        for i, line in enumerate(coarsening.describe(), start=1)
    ]
    return _csv(("file", "column", "meaning", "codes", "derivation"), rows)


__all__ = [
    "ADULT_KINDS",
    "COLUMNS",
    "DEFAULT_K",
    "DICTIONARY",
    "KIND_CODES",
    "MAX_SHIFT",
    "QUASI_IDENTIFIERS",
    "Coarsening",
    "Extract",
    "adult_kind",
    "build_extract",
    "classes",
    "coarsen",
    "smallest_class",
]
