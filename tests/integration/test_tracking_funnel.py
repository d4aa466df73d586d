"""The quarterly funnel SQL, checked against a plain reading of the definitions.

Random caseloads are written to a real database; the counts from
``snt_youth.store.funnel`` must equal those worked out person by person in Python
from docs/quarterly-figures.md. Runs on SQLite, and on PostgreSQL when available.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, insert

from snt_youth.model import age_on
from snt_youth.store import funnel, schema
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import FUNNEL, age_band

QUARTER = Quarter(2025, 4)  # 2025-26 Q4: January to March 2026
TEAMS = ("north", "iss")
day = st.dates(dt.date(2025, 11, 1), dt.date(2026, 6, 30))


@st.composite
def caseloads(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    people, screens, offers, sessions = [], [], [], []
    for pid in range(1, draw(st.integers(0, 9)) + 1):
        people.append(
            {
                "id": pid,
                "case_ref": f"R{pid}",
                "known_as": "Jo",
                "date_of_birth": draw(st.dates(dt.date(2006, 1, 1), dt.date(2016, 12, 31))),
                "gender": draw(st.sampled_from(["female", "male", "not stated"])),
                "ethnicity": draw(st.sampled_from(["White", "Asian or Asian British"])),
                "team": draw(st.sampled_from(TEAMS)),
                "language": "en",
                "created_at": dt.datetime(2025, 1, 1),
            }
        )
        for _ in range(draw(st.integers(0, 3))):
            stage = draw(st.sampled_from(["pre-court", "post-court"]))
            status = draw(st.sampled_from(["complete", "complete", "draft"]))
            if any(s["young_person_id"] == pid and s["stage"] == stage for s in screens):
                status = "complete"  # the database allows one draft per person and stage
            screens.append(
                {
                    "id": len(screens) + 1,
                    "young_person_id": pid,
                    "stage": stage,
                    "screened_on": draw(day),
                    "status": status,
                    "need_identified": draw(st.booleans()),
                    "officer": "o",
                    "instrument_id": "i",
                    "instrument_version": "1",
                    "judgements": "[]",
                }
            )
        for _ in range(draw(st.integers(0, 3))):
            offered = draw(day)
            response = draw(st.sampled_from(["accepted", "declined", "no response yet"]))
            started = draw(st.none() | day) if response == "accepted" else None
            ended = draw(st.none() | day) if response == "accepted" else None
            offers.append(
                {
                    "id": len(offers) + 1,
                    "young_person_id": pid,
                    "stage": draw(st.sampled_from(["pre-court", "post-court"])),
                    "offered_on": offered,
                    "kind": draw(st.sampled_from(["internal", "external"])),
                    "service": "s",
                    "response": response,
                    "started_on": started,
                    "ended_on": ended,
                    "end_reason": draw(st.sampled_from(["completed", "disengaged"]))
                    if ended
                    else None,
                    "contacts": draw(st.integers(0, 2)),
                }
            )
        for _ in range(draw(st.integers(0, 2))):
            own = [o["id"] for o in offers if o["young_person_id"] == pid]
            sessions.append(
                {
                    "young_person_id": pid,
                    "held_on": draw(day),
                    "facilitator": "f",
                    "matrix_id": "m",
                    "matrix_version": "1",
                    "protective_adult_identified": draw(st.booleans()),
                    "offer_id": draw(st.sampled_from([None, *own])),
                }
            )
    return {"people": people, "screenings": screens, "offers": offers, "sessions": sessions}


def reference(
    data: dict[str, list[dict[str, Any]]], q: Quarter, report_date: dt.date, team: str | None
) -> dict[tuple[str, str, str], int]:
    """The definitions, read literally, one young person at a time."""
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    end = min(q.end, report_date)
    people = {p["id"]: p for p in data["people"] if team is None or p["team"] == team}

    def attended(offer: dict[str, Any]) -> bool:
        return offer["contacts"] > 0 or any(
            s["offer_id"] == offer["id"] and s["held_on"] <= report_date for s in data["sessions"]
        )

    def level(offer: dict[str, Any]) -> int:
        if offer["response"] != "accepted":
            return 1
        if not attended(offer):
            return 2
        if offer["end_reason"] == "completed" and offer["ended_on"] <= report_date:
            return 4
        return 3

    def measures(pid: int, stage: str | None, kind: str | None) -> dict[str, int] | None:
        mine = [
            s
            for s in data["screenings"]
            if s["young_person_id"] == pid
            and s["status"] == "complete"
            and q.start <= s["screened_on"] <= end
            and (stage is None or s["stage"] == stage)
        ]
        if not mine:
            return None
        first = min(s["screened_on"] for s in mine)
        need = any(s["need_identified"] for s in mine)
        offers = [
            o
            for o in data["offers"]
            if o["young_person_id"] == pid
            and first <= o["offered_on"] <= report_date
            and (stage is None or o["stage"] == stage)
            and (kind is None or o["kind"] == kind)
        ]
        top = max((level(o) for o in offers), default=0)
        found = {"screened": 1, "need_identified": int(need)}
        for name, lvl in (("offered", 1), ("accepted", 2), ("attended", 3), ("completed", 4)):
            found[name] = int(need and top >= lvl)
        found["protective_adult"] = int(
            any(
                s["young_person_id"] == pid
                and first <= s["held_on"] <= report_date
                and s["protective_adult_identified"]
                for s in data["sessions"]
            )
        )
        return found

    for pid, person in people.items():
        found = measures(pid, None, None)
        if found:
            first = min(
                s["screened_on"]
                for s in data["screenings"]
                if s["young_person_id"] == pid
                and s["status"] == "complete"
                and q.start <= s["screened_on"] <= end
            )
            groups = {
                "all": "all",
                "team": person["team"],
                "gender": person["gender"],
                "ethnicity": person["ethnicity"],
                "age_band": age_band(age_on(person["date_of_birth"], first)),
            }
            for name, value in found.items():
                for breakdown, group in groups.items():
                    counts[(breakdown, group, name)] += value
        for stage in ("pre-court", "post-court"):
            staged = measures(pid, stage, None)
            for name, value in (staged or {}).items():
                counts[("stage", stage, name)] += value
        for kind in ("internal", "external"):
            typed = measures(pid, None, kind)
            for name in ("offered", "accepted", "attended", "completed"):
                counts[("support_type", kind, name)] += (typed or {}).get(name, 0)
        active = [
            o
            for o in data["offers"]
            if o["young_person_id"] == pid
            and o["response"] == "accepted"
            and o["offered_on"] <= report_date
            and (o["started_on"] or o["offered_on"]) <= end
            and (o["ended_on"] is None or o["ended_on"] >= q.start)
        ]
        if active:
            groups = {
                "all": "all",
                "team": person["team"],
                "gender": person["gender"],
                "ethnicity": person["ethnicity"],
                "age_band": age_band(age_on(person["date_of_birth"], q.end)),
            }
            for breakdown, group in groups.items():
                counts[(breakdown, group, "active")] += 1
            for stage in {o["stage"] for o in active}:
                counts[("stage", stage, "active")] += 1
            for kind in {o["kind"] for o in active}:
                counts[("support_type", kind, "active")] += 1
    return {k: v for k, v in counts.items() if v}


def load(engine: Engine, data: dict[str, list[dict[str, Any]]]) -> None:
    schema.metadata.drop_all(engine)
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        for table, key in (
            (schema.young_people, "people"),
            (schema.screenings, "screenings"),
            (schema.support_offers, "offers"),
            (schema.sessions, "sessions"),
        ):
            if data[key]:
                conn.execute(insert(table), data[key])


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = create_engine(db_url)
    yield made
    schema.metadata.drop_all(made)
    made.dispose()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    caseloads(),
    st.dates(dt.date(2026, 2, 15), dt.date(2026, 7, 31)),
    st.sampled_from([None, "north"]),
)
def test_sql_counts_match_the_definitions(
    engine: Engine, data: dict[str, list[dict[str, Any]]], report_date: dt.date, team: str | None
) -> None:
    load(engine, data)
    with engine.connect() as conn:
        rows = funnel.quarter_counts(conn, QUARTER, report_date, team=team)
        headline = funnel.headline_counts(conn, QUARTER, report_date, team=team)
    got = {(r.breakdown, r.group, r.measure): r.count for r in rows if r.count}
    assert got == reference(data, QUARTER, report_date, team)
    assert {r.measure: r.count for r in headline} == {
        m: got.get(("all", "all", m), 0) for m in {r.measure for r in headline}
    }
    # The funnel never rises from one stage to the next, in any group.
    groups = {(b, g) for b, g, _m in got}
    for b, g in groups:
        present = [
            m for m in FUNNEL if b != "support_type" or m not in ("screened", "need_identified")
        ]
        values = [got.get((b, g, m), 0) for m in present]
        assert values == sorted(values, reverse=True), (b, g, values)


def test_report_counts_include_the_trend_and_quarters_with_data(engine: Engine) -> None:
    data: dict[str, list[dict[str, Any]]] = {
        "people": [
            {
                "id": 1,
                "case_ref": "R1",
                "known_as": None,
                "date_of_birth": dt.date(2010, 5, 1),
                "gender": "male",
                "ethnicity": "White",
                "team": "north",
                "language": "en",
                "created_at": dt.datetime(2025, 1, 1),
            }
        ],
        "screenings": [
            {
                "id": i + 1,
                "young_person_id": 1,
                "stage": "pre-court",
                "screened_on": on,
                "status": "complete",
                "need_identified": True,
                "officer": "o",
                "instrument_id": "i",
                "instrument_version": "1",
                "judgements": "[]",
            }
            for i, on in enumerate([dt.date(2025, 6, 1), dt.date(2026, 2, 1)])
        ],
        "offers": [],
        "sessions": [],
    }
    load(engine, data)
    with engine.connect() as conn:
        rows = funnel.report_counts(conn, QUARTER, dt.date(2026, 4, 10))
        assert funnel.quarters_with_data(conn) == [Quarter(2025, 1), Quarter(2025, 4)]
        assert funnel.quarters_with_data(conn, calendar=True) == [
            Quarter(2025, 2, True),
            Quarter(2026, 1, True),
        ]
    screened = {
        r.quarter: r.count for r in rows if r.measure == "screened" and r.breakdown == "all"
    }
    assert screened == {QUARTER: 1, Quarter(2025, 3): 0, Quarter(2025, 2): 0, Quarter(2025, 1): 1}
