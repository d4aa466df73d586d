"""The parts of a screening instrument: responses, conditions, sections and items.

These are the validated records; :mod:`snt_youth.screening.instrument` describes the
file format and reads it. Both modules' names are importable from
``snt_youth.screening.instrument``.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from snt_youth import vocabulary
from snt_youth.errors import InvalidInput, NotFound

NOT_SURE = "not-sure"
PREFER_NOT_TO_SAY = "prefer-not-to-say"
NOT_ASKED = "not-asked"
#: Responses that record that we do not know. They never count as "no".
MISSING_CODES = frozenset({NOT_SURE, PREFER_NOT_TO_SAY, NOT_ASKED})
#: Missing-data responses every item must offer in the file.
REQUIRED_CODES = (NOT_SURE, PREFER_NOT_TO_SAY)
NOT_ASKED_KEY = "-"

GATE = "gate"
#: Outcomes an item can feed. ``gate`` items decide whether a section applies.
ITEM_OUTCOMES = (*vocabulary.OUTCOME_NAMES, GATE)
TIMINGS = tuple(str(level) for level in vocabulary.outcome("home").concern_levels)

#: Levels a concern answer may give, per outcome (from least to most concern).
CONCERN_LEVELS: dict[str, tuple[str, ...]] = {
    o.name: tuple(str(level) for level in o.concern_levels) for o in vocabulary.OUTCOMES
}
#: The level an outcome takes when its gate is closed (for example "no partner").
CLOSED_LEVELS: dict[str, str] = {
    o.name: str(o.closed) for o in vocabulary.OUTCOMES if o.closed is not None
}


@attrs.frozen
class Response:
    """One allowed answer: a stable ``code``, a ``label`` both people read, a TUI ``key``."""

    code: str
    label: str
    key: str

    @property
    def missing(self) -> bool:
        """True for a missing-data code (not sure, prefer not to say, not asked)."""
        return self.code in MISSING_CODES


@attrs.frozen
class Condition:
    """Ask an item only if an earlier item was answered with one of ``values``."""

    item: str
    values: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.item} is {' or '.join(self.values)}"


@attrs.frozen
class Section:
    id: str
    title: str
    young_person_intro: str = ""
    officer_intro: str = ""


@attrs.frozen
class Item:
    """One question, in the officer's words and the young person's words."""

    id: str
    section: str
    outcome: str
    officer: str
    young_person: str
    guidance: str
    responses: tuple[Response, ...]
    concern: tuple[str, ...] = ()
    #: The level each concern response gives the item's outcome.
    concern_levels: Mapping[str, str] = attrs.field(factory=dict)
    #: For home items: "past" or "ongoing" per concern response.
    timing: Mapping[str, str] = attrs.field(factory=dict)
    condition: Condition | None = None
    safety_now: bool = False
    immediate_danger: bool = False
    required: bool = True
    gates: tuple[str, ...] = ()
    opens: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.responses)

    @property
    def is_gate(self) -> bool:
        return self.outcome == GATE

    def response(self, code: str) -> Response:
        for r in self.responses:
            if r.code == code:
                return r
        raise InvalidInput(
            f"{code!r} is not an answer to {self.id}; use one of {', '.join(self.codes)}."
        )

    def response_for_key(self, key: str) -> Response | None:
        for r in self.responses:
            if r.key == key:
                return r
        return None

    def is_concern(self, code: str | None) -> bool:
        return code is not None and code in self.concern_levels


@attrs.frozen
class Instrument:
    """A validated screening instrument."""

    id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    description: str = ""
    #: This many separate "some concerns" answers in one outcome count as the top level.
    #: 0 turns the pattern rule off.
    pattern_threshold: int = 0
    source: str = ""

    def item(self, item_id: str) -> Item:
        """The item with ``item_id``, or InvalidInput naming the instrument."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise InvalidInput(
            f"{self.id} {self.version} has no item {item_id!r}; "
            f"see 'snt-youth screening instrument' for the item ids."
        )

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise NotFound(f"{self.id} has no section {section_id!r}.")

    def items_in(self, section_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.section == section_id)

    def feeding(self, outcome: str) -> tuple[Item, ...]:
        """Items whose answers feed ``outcome`` (for "safety": every safety-now item)."""
        if outcome == "safety":
            return tuple(item for item in self.items if item.safety_now)
        return tuple(item for item in self.items if item.outcome == outcome)

    def gate_for(self, outcome: str) -> Item | None:
        """The gate item that decides whether ``outcome`` applies, if any."""
        for item in self.items:
            if outcome in item.gates:
                return item
        return None
