"""The data dictionary of an instrument: one plain row per item, like REDCap's."""

from __future__ import annotations

from typing import Any

from snt_youth.screening.instrument import MISSING_CODES, Instrument, Item


def item_row(instrument: Instrument, item: Item) -> dict[str, Any]:
    """One item as a JSON-ready dict (every field a reader of the dictionary needs)."""
    section = instrument.section(item.section)
    return {
        "id": item.id,
        "section": item.section,
        "section_title": section.title,
        "outcome": item.outcome,
        "officer": item.officer,
        "young_person": item.young_person,
        "guidance": item.guidance,
        "responses": [
            {
                "code": r.code,
                "label": r.label,
                "key": r.key,
                "missing_data": r.code in MISSING_CODES,
            }
            for r in item.responses
        ],
        "concern": list(item.concern),
        "concern_levels": dict(item.concern_levels),
        "timing": dict(item.timing),
        "condition": (
            None
            if item.condition is None
            else {"item": item.condition.item, "in": list(item.condition.values)}
        ),
        "safety_now": item.safety_now,
        "immediate_danger": item.immediate_danger,
        "required": item.required,
        "gates": list(item.gates),
        "opens": list(item.opens),
    }


def dictionary(instrument: Instrument) -> list[dict[str, Any]]:
    """Every item of ``instrument``, in order, as JSON-ready dicts."""
    return [item_row(instrument, item) for item in instrument.items]
