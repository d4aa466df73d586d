"""The research extract's pure core: kinds of adult, k-anonymity, shifted dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from snt_youth import model
from snt_youth.tracking import research
from snt_youth.tracking.research import adult_kind, build_extract, classes, coarsen

TEAMS = ("north", "south", "east", "iss")


def test_adult_kinds_come_from_role_words_only() -> None:
    assert adult_kind("Nan") == "grandparent"
    assert adult_kind("my mum") == "parent"
    assert adult_kind("Big sister") == "sibling"
    assert adult_kind("Uncle Dave") == "family"
    assert adult_kind("Youth worker") == "youth-worker"
    assert adult_kind("Teacher") == "teacher"
    assert adult_kind("my friend's mum") == "friends-parent"
    assert adult_kind("Jo") == "not-known"
    assert {code for code, _label in research.KIND_CODES} >= {"parent", "not-known"}


people_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "team": st.sampled_from(TEAMS),
            "gender": st.sampled_from([g.value for g in model.Gender]),
            "ethnicity": st.sampled_from([e.value for e in model.Ethnicity]),
            "age": st.integers(10, 19),
        }
    ),
    max_size=150,
)


@settings(max_examples=150, deadline=None)
@given(people=people_strategy, k=st.integers(2, 8))
def test_k_is_reached_or_the_young_people_left_out_are_reported(
    people: list[dict[str, Any]], k: int
) -> None:
    rows = [{**p, "id": i} for i, p in enumerate(people)]
    kept, done = coarsen(rows, k, frozenset({"iss"}))
    sizes = classes(kept.values())
    assert all(size >= k for size in sizes.values())  # k-anonymity on what is kept
    assert done.left_out == len(rows) - len(kept)
    assert done.reached == (min(sizes.values()) if sizes else 0)
    if done.left_out:
        assert any("left out" in line for line in done.describe())
    # Leaving out is the last resort: at most 5% unless nothing is left to widen.
    fully = (
        done.age_level == len(research.AGE_LEVELS) - 1
        and done.team_level == len(research.TEAM_LEVELS) - 1
    )
    assert fully or done.left_out <= int(len(rows) * research.MAX_LEFT_OUT)


def _rows(n: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    people, screenings, offers, sessions, entries, answers = [], [], [], [], [], []
    for pid in range(1, n + 1):
        dob = dt.date(2009, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
        people.append(
            {
                "id": pid,
                "date_of_birth": dob,
                "gender": "male",
                "ethnicity": "White",
                "team": "north",
            }
        )
        day = dt.date(2025, 4, 1) + dt.timedelta(days=rng.randint(0, 300))
        sid = len(screenings) + 1
        screenings.append(
            {
                "id": sid,
                "young_person_id": pid,
                "stage": "pre-court",
                "screened_on": day,
                "instrument_id": "snt-screen",
                "instrument_version": "1.0",
                "home": "past",
                "relationship": "healthy",
                "own_behaviour": "none described",
                "safety": "none",
                "need_identified": True,
                "judgements": '[{"outcome": "home", "level": "ongoing", "reason": "secret words"}]',
            }
        )
        answers.append({"screening_id": sid, "item_id": "home-hurt", "response": "yes-now"})
        oid = len(offers) + 1
        offers.append(
            {
                "id": oid,
                "young_person_id": pid,
                "screening_id": sid,
                "stage": "pre-court",
                "offered_on": day + dt.timedelta(days=3),
                "kind": "internal",
                "service": "protective-adult",
                "response": "accepted",
                "started_on": day + dt.timedelta(days=9),
                "ended_on": None,
                "end_reason": None,
                "contacts": 0,
            }
        )
        sessions.append(
            {
                "id": oid,
                "young_person_id": pid,
                "held_on": day + dt.timedelta(days=20),
                "matrix_id": "who-kept-me-safe",
                "protective_adult_identified": True,
                "confirmed_by_facilitator": False,
                "offer_id": oid,
            }
        )
        entries.append({"session_id": oid, "position": 0, "person": "Nan", "domain": "safe"})
    return {
        "young_people": people,
        "screenings": screenings,
        "screening_answers": answers,
        "support_offers": offers,
        "sessions": sessions,
        "session_entries": entries,
    }


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_dates_move_together_and_ages_replace_the_date_of_birth() -> None:
    rows = _rows(12, 1)
    extract = build_extract(rows, k=5, rng=random.Random(1), domains=lambda m, c: "safety")
    shift = {pseudonym: days for _pid, pseudonym, days in extract.keys}
    real = {pid: pseudonym for pid, pseudonym, _days in extract.keys}
    screenings = {r["person"]: r for r in _read(extract.files["screenings.csv"])}
    offers = {r["person"]: r for r in _read(extract.files["offers.csv"])}
    for person in rows["young_people"]:
        pseudonym = real[person["id"]]
        assert 1 <= abs(shift[pseudonym]) <= research.MAX_SHIFT
        shown = dt.date.fromisoformat(screenings[pseudonym]["screened_on"])
        offered = dt.date.fromisoformat(offers[pseudonym]["offered_on"])
        assert (offered - shown).days == 3  # the interval is kept exactly
        true = rows["screenings"][person["id"] - 1]["screened_on"]
        assert shown - true == dt.timedelta(days=shift[pseudonym])
    text = "".join(t for name, t in extract.files.items() if name != "data_dictionary.csv")
    assert "secret words" not in text and "Nan" not in text
    for person in rows["young_people"]:
        assert person["date_of_birth"].isoformat() not in text
    assert {r["adult_kind"] for r in _read(extract.files["session_entries.csv"])} == {"grandparent"}
    assert {r["raised_by_judgement"] for r in screenings.values()} == {"home"}


def test_two_extracts_share_no_pseudonym() -> None:
    rows = _rows(20, 2)
    first = build_extract(rows, k=5)
    second = build_extract(rows, k=5)
    assert {p for _i, p, _d in first.keys}.isdisjoint({p for _i, p, _d in second.keys})
    assert len({p for _i, p, _d in first.keys}) == 20


def test_the_period_keeps_only_events_in_it() -> None:
    rows = _rows(15, 3)
    extract = build_extract(rows, k=2, since=dt.date(2025, 10, 1), until=dt.date(2025, 12, 31))
    kept = {pid for pid, _p, _d in extract.keys}
    expected = {
        s["young_person_id"]
        for table, day in (
            ("screenings", "screened_on"),
            ("support_offers", "offered_on"),
            ("sessions", "held_on"),
        )
        for s in rows[table]
        if dt.date(2025, 10, 1) <= s[day] <= dt.date(2025, 12, 31)
    }
    assert kept <= expected
    assert len(kept) + extract.coarsening.left_out == len(expected)


def test_every_column_is_in_the_data_dictionary() -> None:
    extract = build_extract(_rows(6, 4), k=2)
    described = {(r["file"], r["column"]) for r in _read(extract.files["data_dictionary.csv"])}
    for name, text in extract.files.items():
        if name == "data_dictionary.csv":
            continue
        header = next(csv.reader(io.StringIO(text)))
        for column in header:
            assert (name, column) in described
