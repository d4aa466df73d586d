"""Young people and sessions to print worksheets with, shared by the layout test and
scripts/worksheet_images.py (the pictures in docs/worksheets.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from snt_youth.model import MatrixEntry, Session, YoungPerson
from snt_youth.printing import worksheets
from snt_youth.protect.matrix import load_matrix

JO = YoungPerson(case_ref="YJ-0042", date_of_birth=dt.date(2010, 5, 1), team="north", known_as="Jo")

WORDS = (
    "Mum stood in front of me when he shouted.",
    "Nan let me stay at hers on school nights.",
    "Miss Khan asked if I was OK every day and listened to me.",
    "Uncle Dev took me to football on Saturdays.",
)
LONG = "Nan made tea after school and listened to me every single day. " * 8


def session(matrix_id: str, *, long: bool = False) -> Session:
    """A session with three people and words in most boxes (``long``: very long words)."""
    columns = [c.id for c in load_matrix(matrix_id).columns]
    entries = tuple(
        MatrixEntry(person, columns[i % len(columns)], LONG if long else WORDS[(i + j) % 4])
        for j, person in enumerate(["Mum", "Nan", "Miss Khan"])
        for i in range(3)
    )
    return Session(
        id=7,
        case_ref=JO.case_ref,
        held_on=dt.date(2026, 3, 3),
        facilitator="R. Ahmed",
        matrix_id=matrix_id,
        matrix_version="1.0",
        entries=entries,
        reflection="Mum did more than I thought.",
        next_steps="Say thank you to Nan.",
    )


def variants(sheet: worksheets.Worksheet) -> dict[str, dict[str, Any]]:
    """Every way ``sheet`` is printed, by name, as keyword options of ``render_pdf``."""
    looks: dict[str, dict[str, Any]] = {
        "": {},
        "-cream": {"cream": True},
        "-large": {"large_print": True},
        "-cream-large": {"cream": True, "large_print": True},
    }
    found = {f"blank{k}": dict(v) for k, v in looks.items()}
    if not sheet.needs_young_person:
        return found
    person: dict[str, Any] = {"young_person": JO}
    if sheet.prefill_matrix_id:
        person["session"] = session(sheet.prefill_matrix_id)
        found["prefilled-long"] = {
            "young_person": JO,
            "session": session(sheet.prefill_matrix_id, long=True),
        }
        found["prefilled-long-large"] = {**found["prefilled-long"], "large_print": True}
    kind = "prefilled" if sheet.prefill_matrix_id else "for-person"
    found |= {f"{kind}{k}": {**person, **v} for k, v in looks.items()}
    if sheet.has_facilitator_pages:
        found["own-pages"] = {**person, "pages": "young-person"}
        found["own-pages-large"] = {**person, "pages": "young-person", "large_print": True}
        found["guide"] = {"pages": "facilitator"}
        found["guide-large"] = {"pages": "facilitator", "large_print": True}
    if sheet.has_take_home:
        home = {"young_person": JO, "take_home": True}
        found |= {f"take-home{k}": {**home, **v} for k, v in looks.items()}
        found["take-home-first-name"] = {**home, "first_name": True}
        found["take-home-first-name-large"] = {**home, "first_name": True, "large_print": True}
    return found
