"""The change report: what changed between the pre-court and post-court screenings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from snt_youth.casebook.base import CasebookBase

if TYPE_CHECKING:
    from snt_youth.screening.instrument import Instrument
    from snt_youth.tracking.change import ChangeReport, Pair, Period

Row = Mapping[str, Any]


def report_level(
    instrument: Instrument | None, outcome: str, level: str, answers: Mapping[str, str]
) -> str:
    """The level the change report shows: "not known" becomes "prefer not to say" when
    the young person said so to a question feeding the outcome (or its gate)."""
    from snt_youth import vocabulary
    from snt_youth.screening.instrument import PREFER_NOT_TO_SAY
    from snt_youth.tracking import change

    if level != str(vocabulary.outcome(outcome).not_known) or instrument is None:
        return level
    items = [item.id for item in instrument.feeding(outcome)]
    gate = instrument.gate_for(outcome)
    if gate is not None:
        items.append(gate.id)
    if any(answers.get(item) == PREFER_NOT_TO_SAY for item in items):
        return change.PREFER_NOT_TO_SAY
    return level


def change_pairs(
    rows: Mapping[str, Sequence[Row]],
    period: Period,
    as_at: dt.date,
    instrument: Instrument | None,
) -> list[Pair]:
    """One pair per young person in the change report's cohort (see tracking.change)."""
    from snt_youth import vocabulary
    from snt_youth.tracking.change import Pair

    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for a in rows["screening_answers"]:
        answers[a["screening_id"]][a["item_id"]] = a["response"]
    by_person: dict[int, list[Row]] = defaultdict(list)
    for s in rows["screenings"]:
        if s["screened_on"] <= as_at:
            by_person[s["young_person_id"]].append(s)
    offers: dict[int, list[Row]] = defaultdict(list)
    for o in rows["support_offers"]:
        offers[o["young_person_id"]].append(o)
    sessions: dict[int, list[Row]] = defaultdict(list)
    first_session: dict[int, dt.date] = {}
    for s in rows["sessions"]:
        sessions[s["young_person_id"]].append(s)
        if s["offer_id"] is not None:
            held = first_session.get(s["offer_id"])
            first_session[s["offer_id"]] = min(held, s["held_on"]) if held else s["held_on"]
    instrument_key = (instrument.id, instrument.version) if instrument else None

    def levels(screening: Row) -> dict[str, str]:
        same = (screening["instrument_id"], screening["instrument_version"]) == instrument_key
        given = answers.get(screening["id"], {})
        return {
            name: report_level(instrument if same else None, name, screening[name], given)
            for name in vocabulary.OUTCOME_NAMES
        }

    found: list[Pair] = []
    for person in rows["young_people"]:
        mine = by_person.get(person["id"], [])
        post = [s for s in mine if s["stage"] == "post-court" and s["screened_on"] in period]
        if not post:
            continue
        last_post = max(post, key=lambda s: (s["screened_on"], s["id"]))
        pre = [
            s
            for s in mine
            if s["stage"] == "pre-court" and s["screened_on"] <= last_post["screened_on"]
        ]
        if not pre:
            continue
        last_pre = max(pre, key=lambda s: (s["screened_on"], s["id"]))
        start = last_pre["screened_on"]
        later = sorted(
            (o for o in offers.get(person["id"], []) if start <= o["offered_on"] <= as_at),
            key=lambda o: (o["offered_on"], o["id"]),
        )
        to_offer = to_attend = None
        if later:
            offer = later[0]
            to_offer = (offer["offered_on"] - start).days
            attended = first_session.get(offer["id"])
            if attended is None and offer["contacts"] and offer["started_on"] is not None:
                attended = offer["started_on"]
            if attended is not None and attended <= as_at:
                to_attend = max((attended - offer["offered_on"]).days, 0)
        named = any(
            s["protective_adult_identified"] and start <= s["held_on"] <= as_at
            for s in sessions.get(person["id"], [])
        )
        found.append(
            Pair(
                team=person["team"],
                pre=levels(last_pre),
                post=levels(last_post),
                protective_adult=named,
                days_to_offer=to_offer,
                days_to_attendance=to_attend,
            )
        )
    return found


class ChangeCases(CasebookBase):
    """Use cases about the change report."""

    def change_report(
        self,
        year: str | Period,
        *,
        team: str | None = None,
        report_date: dt.date | None = None,
    ) -> ChangeReport:
        """What changed between the pre-court and post-court screenings, for the young
        people whose post-court screening is in the financial ``year`` (e.g. "2025-26").

        Disclosure control and the intruder check are applied (``tracking.change``).
        """
        from snt_youth.errors import InvalidInput
        from snt_youth.screening import instrument_for
        from snt_youth.tracking.change import Period, build_change_report, financial_year
        from snt_youth.tracking.disclosure import DisclosureSettings

        period = year if isinstance(year, Period) else financial_year(year)
        as_at = report_date or self.clock.today()
        if as_at > self.clock.today():
            raise InvalidInput(f"The report date {as_at} is in the future.")
        if period.start > as_at:
            raise InvalidInput(
                f"{period.label} has not started by {as_at}; choose a year that has."
            )
        if team:
            team = self.config.team(team).id
        with self._store.reading() as tx:
            rows = tx.research_rows(declined_only=True)
        pairs = change_pairs(rows, period, as_at, instrument_for(self.config))
        return build_change_report(
            pairs,
            period=period,
            report_date=as_at,
            disclosure=DisclosureSettings.from_config(self.config.disclosure),
            teams=[(t.id, t.name) for t in self.config.teams],
            team=team,
            service_name=self.config.service.name,
        )


__all__ = ["ChangeCases", "change_pairs", "report_level"]
