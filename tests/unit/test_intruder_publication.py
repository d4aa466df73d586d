"""Property: whatever the service, a protected publication gives nothing away.

Random services (random teams, sizes down to one young person, random funnels) are
published as the service report, every team's report and the trend, then released
again at a later date with more support recorded. The intruder check, run over
everything, must find no disclosed figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snt_youth.tracking.disclosure import DisclosureSettings
from snt_youth.tracking.intruder import check
from snt_youth.tracking.publication import ReportRequest, protect_publication
from snt_youth.tracking.quarters import Quarter
from snt_youth.tracking.report import FUNNEL, CountRow

Q = Quarter(2025, 4)
FIRST, LATER = dt.date(2026, 5, 1), dt.date(2026, 8, 1)
TEAMS = (("north", "North"), ("south", "South"), ("iss", "ISS"))

person = st.fixed_dictionaries(
    {
        "team": st.sampled_from([t for t, _ in TEAMS]),
        "gender": st.sampled_from(["female", "male"]),
        "ethnicity": st.sampled_from(["White", "Black, Black British, Caribbean or African"]),
        "age_band": st.sampled_from(["10-13", "14-15", "16-17"]),
        "stages": st.sampled_from([("pre-court",), ("post-court",), ("pre-court", "post-court")]),
        "kinds": st.sampled_from([("internal",), ("external",), ("internal", "external")]),
        "depth": st.integers(1, 6),
        "protective_adult": st.booleans(),
        "active": st.booleans(),
        "quarter": st.sampled_from([Q, Q, Q, Quarter(2025, 3), Quarter(2025, 2)]),
    }
)


def counts(people: list[dict[str, Any]], team: str | None) -> tuple[CountRow, ...]:
    totals: dict[tuple[Quarter, str, str, str], int] = defaultdict(int)
    for p in people:
        if team is not None and p["team"] != team:
            continue
        reached = {m: int(i < p["depth"]) for i, m in enumerate(FUNNEL)}
        reached["protective_adult"] = int(p["protective_adult"])
        reached["active"] = int(p["active"])
        q = p["quarter"]
        for m, value in reached.items():
            totals[(q, "all", "all", m)] += value
            if q != Q:
                continue
            for b in ("team", "gender", "ethnicity", "age_band"):
                totals[(q, b, p[b], m)] += value
            for stage in p["stages"]:
                totals[(q, "stage", stage, m)] += value
            if m in ("offered", "accepted", "attended", "completed", "active"):
                for kind in p["kinds"]:
                    totals[(q, "support_type", kind, m)] += value
    return tuple(CountRow(q, b, g, m, v) for (q, b, g, m), v in totals.items())


def publish(people: list[dict[str, Any]], on: dt.date, released: Any = ()) -> Any:
    return protect_publication(
        [ReportRequest(counts(people, t), t) for t in (None, *(t for t, _ in TEAMS))],
        quarter=Q,
        report_date=on,
        disclosure=DisclosureSettings(),
        teams=TEAMS,
        released=released,
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(person, min_size=1, max_size=30), extra=st.integers(0, 3))
def test_no_protected_publication_discloses_anything(
    people: list[dict[str, Any]], extra: int
) -> None:
    first = publish(people, FIRST)
    assert first.examination.consistent
    assert not check(first.reports, exact=True).disclosed
    # A later release: support went on, so some young people reached further.
    later_people = [
        {**p, "depth": min(6, p["depth"] + (1 if i < extra else 0))} for i, p in enumerate(people)
    ]
    later = publish(later_people, LATER, released=first.suppressed_keys())
    assert not check(later.reports).disclosed
    hidden_before = {(k[0], *k[2:]) for k in first.suppressed_keys()}
    hidden_after = {(k[0], *k[2:]) for k in later.suppressed_keys()}
    # Every figure hidden before is hidden again, where it is not simply zero now.
    shown_again = {
        (k[0], *k[2:]) for k, (lo, hi) in check_bounds(later.reports).items() if lo == hi and lo > 0
    }
    assert not (hidden_before - hidden_after) & shown_again


def check_bounds(reports: Any) -> Any:
    from snt_youth.tracking.intruder import model_of

    model = model_of(reports)
    return {k: b for k, b in model.bounds.items() if k not in model.suppressed}
