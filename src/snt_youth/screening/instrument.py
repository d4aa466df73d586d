"""Screening instruments: the TOML format, loading and validation.

An instrument is a data file a champion can read and edit. A service points its
configuration (``[service] instrument``) at a shipped instrument id, such as
``"snt-screen"``, or at the path of its own locally agreed instrument.

The file format (``format_version = 1``)::

    format = "snt-youth-instrument"
    format_version = 1
    id = "snt-screen"
    version = "1.0"
    title = "..."

    [scoring]
    pattern_threshold = 3      # this many separate "some concerns" answers count as harmful

    [response_sets]
    yes-no = [
      { code = "yes", label = "Yes", key = "y" },
      { code = "no", label = "No", key = "n" },
      { code = "not-sure", label = "Not sure", key = "s" },
      { code = "prefer-not-to-say", label = "I'd rather not say", key = "p" },
    ]

    [[sections]]
    id = "home"
    title = "At home"
    young_person_intro = "..."

    [[items]]
    id = "home-hurt"
    section = "home"
    outcome = "home"            # home | relationship | own_behaviour | safety | gate
    officer = "..."             # what the officer asks
    young_person = "..."        # the young person's wording
    guidance = "..."
    responses = "timed"         # a response set name, or an inline list of tables
    concern = ["yes-now", "yes-before"]
    timing = { yes-now = "ongoing", yes-before = "past" }   # home items; or "past"/"ongoing"
    level = "harmful"           # relationship/own_behaviour items; default "some concerns"
    condition = { item = "rel-partner", in = ["yes"] }       # ask only if ...
    safety_now = false          # true for every safety item
    immediate_danger = false    # a concern answer means someone may be in danger right now
    required = true
    # gate items only:
    gates = ["relationship", "own_behaviour"]
    opens = ["yes"]

Every item must offer ``not-sure`` and ``prefer-not-to-say``. ``not-asked`` is added
to every item by the loader (key ``-``) unless the file lists it. These three are
*missing-data codes*: they never count as "no".

Loading reads the file through :mod:`snt_youth.content`, validates the whole file and
raises :class:`~snt_youth.errors.ContentError` naming the file, the key (with its
line) and the problem. Nothing is half-loaded. The records themselves are in
:mod:`snt_youth.screening.questions` and are importable from here too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs

from snt_youth import content, locations
from snt_youth.config import ServiceConfig
from snt_youth.errors import NotFound
from snt_youth.screening.questions import (
    CLOSED_LEVELS,
    CONCERN_LEVELS,
    GATE,
    ITEM_OUTCOMES,
    MISSING_CODES,
    NOT_ASKED,
    NOT_ASKED_KEY,
    NOT_SURE,
    PREFER_NOT_TO_SAY,
    REQUIRED_CODES,
    TIMINGS,
    Condition,
    Instrument,
    Item,
    Response,
    Section,
)

__all__ = [
    "CLOSED_LEVELS",
    "CONCERN_LEVELS",
    "FORMAT",
    "FORMAT_VERSION",
    "GATE",
    "ITEM_OUTCOMES",
    "MISSING_CODES",
    "NOT_ASKED",
    "NOT_ASKED_KEY",
    "NOT_SURE",
    "PREFER_NOT_TO_SAY",
    "REQUIRED_CODES",
    "SHIPPED_DIR",
    "TIMINGS",
    "Condition",
    "Instrument",
    "Item",
    "Response",
    "Section",
    "instrument_for",
    "load_instrument",
    "parse_instrument",
    "resolve",
    "shipped_instruments",
]

FORMAT = "snt-youth-instrument"
FORMAT_VERSION = 1

SHIPPED_DIR = locations.DATA_DIR / "instruments"

_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ID_HINT = "use lower-case letters, digits, '-' or '_'"


@attrs.frozen(kw_only=True)
class _VersionText(content.Spec):
    """The instrument's own version: text, or a number written without quotes."""

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str | int | float) and not isinstance(value, bool)

    def expect(self, flavour: content.Flavour) -> str:
        return 'text such as "1.0"'

    def check(self, value: Any, at: content.At) -> str:
        if not self.accepts(value):
            self._wrong_kind(value, at)
        return content.Text().check(str(value), at)


# --- the file, declared ------------------------------------------------------------

_CODE = content.ident(_ID, _ID_HINT)
_RESPONSE = content.Table(fields={"code": _CODE, "label": content.Text(), "key": content.Text()})
_RESPONSES = content.ListOf(item=_RESPONSE, min_items=1)
_TIMING = content.Text(choices=TIMINGS, noun="timing")
_SECTION = content.Table(
    fields={
        "id": _CODE,
        "title": content.Text(),
        "young_person_intro": content.Text(allow_empty=True, default=""),
        "officer_intro": content.Text(allow_empty=True, default=""),
    },
    build=lambda v: Section(**v),
)
_ITEM = content.Table(
    fields={
        "id": _CODE,
        "section": content.Text(),
        "outcome": content.Text(choices=ITEM_OUTCOMES, noun="outcome"),
        "officer": content.Text(),
        "young_person": content.Text(),
        "guidance": content.Text(allow_empty=True, default=""),
        "responses": content.Either(
            options=(content.Text(), _RESPONSES),
            missing="responses are missing; name a response set or list the responses",
        ),
        "concern": content.ListOf(item=content.Text(), default=()),
        "timing": content.Either(options=(_TIMING, content.Table(values=_TIMING)), default=None),
        "level": content.Text(default=None),
        "condition": content.Table(
            fields={"item": content.Text(), "in": content.ListOf(item=content.Text(), min_items=1)},
            default=None,
        ),
        "safety_now": content.Boolean(default=None),
        "immediate_danger": content.Boolean(default=False),
        "required": content.Boolean(default=True),
        "gates": content.ListOf(item=content.Text(), default=()),
        "opens": content.ListOf(item=content.Text(), default=()),
    }
)
_FILE = content.Table(
    fields={
        "format": content.FormatName(
            expected=FORMAT, what="a screening instrument", default=FORMAT
        ),
        "format_version": content.FormatVersion(current=FORMAT_VERSION, default=FORMAT_VERSION),
        "id": _CODE,
        "version": _VersionText(
            missing='the instrument needs a version, for example version = "1.0"'
        ),
        "title": content.Text(),
        "description": content.Text(allow_empty=True, default=""),
        "scoring": content.Table(
            fields={"pattern_threshold": content.Integer(minimum=0, default=0)}, default=None
        ),
        "response_sets": content.Table(values=_RESPONSES, default={}),
        "sections": content.ListOf(
            item=_SECTION,
            min_items=1,
            unique="id",
            noun="section",
            missing="at least one [[sections]] table is needed",
        ),
        "items": content.ListOf(
            item=_ITEM,
            min_items=1,
            unique="id",
            noun="item",
            missing="at least one [[items]] table is needed",
        ),
    }
)


# --- finding and loading -------------------------------------------------------------


def shipped_instruments() -> list[str]:
    """Ids of the instruments shipped with snt-youth."""
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))


def resolve(id_or_path: str | Path, *, relative_to: Path | None = None) -> Path:
    """The file for a shipped instrument id or a path (relative paths from ``relative_to``)."""
    text = str(id_or_path)
    looks_like_path = isinstance(id_or_path, Path) or any(
        mark in text for mark in ("/", "\\", ".toml")
    )
    if not looks_like_path and _ID.fullmatch(text):
        shipped = SHIPPED_DIR / f"{text}.toml"
        if shipped.is_file():
            return shipped
        if not Path(text).exists():
            raise NotFound(
                f"No shipped instrument {text!r}. Shipped: {', '.join(shipped_instruments())}; "
                "or give the path of your own instrument file."
            )
    path = Path(text).expanduser()
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    return path


def load_instrument(id_or_path: str | Path, *, relative_to: Path | None = None) -> Instrument:
    """Load and validate an instrument by shipped id (``"snt-screen"``) or file path.

    Reused until the file changes. Raises :class:`NotFound` for an unknown shipped id,
    and :class:`ContentError` naming the file, key and problem for a bad file.
    """
    return content.cached(resolve(id_or_path, relative_to=relative_to), _read)


def instrument_for(config: ServiceConfig) -> Instrument:
    """The instrument a service configuration names (relative paths from the config file)."""
    source = config.source
    base = Path(source).parent if source and not source.startswith("<") else None
    return load_instrument(config.service.instrument, relative_to=base)


def _read(path: Path) -> Instrument:
    document = content.read_file(path, "toml", missing="instrument file not found; check the path")
    return _Builder(document).instrument()


def parse_instrument(text: str, path: str = "<instrument>") -> Instrument:
    """Parse and validate instrument TOML text; ``path`` names it in errors."""
    return _Builder(content.parse_toml(text, path)).instrument()


# --- the checks that look across keys ------------------------------------------------


class _Builder:
    """Turns a checked instrument file into an Instrument, failing on the first problem."""

    def __init__(self, document: content.Document) -> None:
        self.document = document

    def instrument(self) -> Instrument:
        top = _FILE.check(self.document.data, self.document.at)
        sets = {
            name: self._responses(responses, top.at.key("response_sets").key(name))
            for name, responses in top["response_sets"].items()
        }
        sections: tuple[Section, ...] = top["sections"]
        section_ids = [s.id for s in sections]
        items: list[Item] = []
        for values in top["items"]:
            items.append(self._item(values, sets, section_ids, items))
        self._check_gates(items, top.at.key("items"))
        scoring = top["scoring"]
        return Instrument(
            id=top["id"],
            version=top["version"],
            title=top["title"],
            description=top["description"],
            sections=sections,
            items=tuple(items),
            pattern_threshold=scoring["pattern_threshold"] if scoring else 0,
            source=self.document.source,
        )

    def _responses(
        self, tables: tuple[content.Values, ...], at: content.At
    ) -> tuple[Response, ...]:
        responses: list[Response] = []
        for n, table in enumerate(tables):
            here = at.item(n)
            code, key = table["code"], table["key"]
            if len(key) != 1:
                here.key("key").fail(f"key {key!r} must be a single character")
            for other in responses:
                if other.code == code:
                    here.key("code").fail(f"duplicate response code {code!r}")
                if other.key == key:
                    here.key("key").fail(f"duplicate key {key!r} (used by {other.code} and {code})")
            if key == NOT_ASKED_KEY and code != NOT_ASKED:
                here.key("key").fail(
                    f"key {NOT_ASKED_KEY!r} is kept for 'not asked'; choose another"
                )
            responses.append(Response(code=code, label=table["label"], key=key))
        codes = [r.code for r in responses]
        for needed in REQUIRED_CODES:
            if needed not in codes:
                at.fail(
                    f"responses must include {needed!r}; every item offers "
                    f"{' and '.join(REQUIRED_CODES)}"
                )
        if NOT_ASKED not in codes:
            responses.append(Response(code=NOT_ASKED, label="Not asked", key=NOT_ASKED_KEY))
        return tuple(responses)

    def _item(
        self,
        table: content.Values,
        sets: dict[str, tuple[Response, ...]],
        section_ids: list[str],
        earlier: list[Item],
    ) -> Item:
        at = table.at
        outcome: str = table["outcome"]
        if table["section"] not in section_ids:
            at.key("section").fail(
                f"unknown section {table['section']!r}; sections: {', '.join(section_ids)}"
            )
        raw_responses = table["responses"]
        if isinstance(raw_responses, str):
            if raw_responses not in sets:
                known = ", ".join(sorted(sets)) or "none defined"
                at.key("responses").fail(
                    f"unknown response set {raw_responses!r} (response sets: {known})"
                )
            responses = sets[raw_responses]
        else:
            responses = self._responses(raw_responses, at.key("responses"))
        codes = {r.code for r in responses}

        concern: tuple[str, ...] = table["concern"]
        for code in concern:
            if code not in codes:
                at.key("concern").fail(f"concern response {code!r} is not one of its responses")
            if code in MISSING_CODES:
                at.key("concern").fail(f"{code!r} is a missing-data code and cannot be a concern")
        if len(set(concern)) != len(concern):
            at.key("concern").fail("a concern response is listed twice")

        safety_now = table["safety_now"]
        if safety_now is None:
            safety_now = outcome == "safety"
        if outcome == "safety" and not safety_now:
            at.key("safety_now").fail(
                "a safety item is always a safety-now item; remove safety_now = false"
            )
        immediate = table["immediate_danger"]
        if immediate and not concern:
            at.key("immediate_danger").fail(
                "immediate_danger needs concern responses to say when it applies"
            )
        timing = self._timing(table, outcome, concern)
        levels = self._levels(table, outcome, concern, timing)
        gates, opens = self._gate(table, outcome, concern, codes)
        return Item(
            id=table["id"],
            section=table["section"],
            outcome=outcome,
            officer=table["officer"],
            young_person=table["young_person"],
            guidance=table["guidance"],
            responses=responses,
            concern=concern,
            concern_levels=levels,
            timing=timing,
            condition=self._condition(table, earlier),
            safety_now=safety_now,
            immediate_danger=immediate,
            required=table["required"],
            gates=gates,
            opens=opens,
        )

    def _timing(
        self, table: content.Values, outcome: str, concern: tuple[str, ...]
    ) -> dict[str, str]:
        raw = table["timing"]
        at = table.at.key("timing")
        if outcome != "home":
            if raw is not None:
                at.fail("timing is only for home items (past or ongoing)")
            return {}
        if not concern:
            if raw is not None:
                at.fail("timing needs concern responses")
            return {}
        if raw is None:
            table.at.fail('home items need timing: "past", "ongoing", or a table per response')
        timing: dict[str, str] = dict.fromkeys(concern, raw) if isinstance(raw, str) else dict(raw)
        for code in timing:
            if code not in concern:
                at.fail(f"timing is given for {code!r}, which is not a concern response")
        for code in concern:
            if code not in timing:
                at.fail(f"timing is missing for concern response {code!r}")
        return timing

    def _levels(
        self,
        table: content.Values,
        outcome: str,
        concern: tuple[str, ...],
        timing: dict[str, str],
    ) -> dict[str, str]:
        raw = table["level"]
        at = table.at.key("level")
        if outcome in ("home", "safety", GATE):
            if raw is not None:
                at.fail(f"level is not used for {outcome} items")
            if outcome == "home":
                return dict(timing)
            return dict.fromkeys(concern, "concern")
        allowed = CONCERN_LEVELS[outcome]
        level = allowed[0] if raw is None else raw
        if level not in allowed:
            at.fail(f"level {level!r} must be one of {', '.join(allowed)}")
        return dict.fromkeys(concern, level)

    def _gate(
        self,
        table: content.Values,
        outcome: str,
        concern: tuple[str, ...],
        codes: set[str],
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        gates: tuple[str, ...] = table["gates"]
        opens: tuple[str, ...] = table["opens"]
        at = table.at
        if outcome != GATE:
            if gates or opens:
                at.key("gates" if gates else "opens").fail(
                    'gates and opens are only for gate items (outcome = "gate")'
                )
            return (), ()
        if concern:
            at.key("concern").fail("a gate item decides whether questions apply; it has no concern")
        if not gates:
            at.fail("a gate item needs gates, the outcomes it decides")
        for gated in gates:
            if gated not in CLOSED_LEVELS:
                at.key("gates").fail(
                    f"cannot gate {gated!r}; a gate can decide {', '.join(CLOSED_LEVELS)}"
                )
        if not opens:
            at.fail("a gate item needs opens, the responses that mean the questions apply")
        for code in opens:
            if code not in codes:
                at.key("opens").fail(f"opens response {code!r} is not one of its responses")
            if code in MISSING_CODES:
                at.key("opens").fail(f"{code!r} is a missing-data code and cannot open a gate")
        return gates, opens

    def _condition(self, table: content.Values, earlier: list[Item]) -> Condition | None:
        raw = table["condition"]
        if raw is None:
            return None
        at = table.at.key("condition")
        target: str = raw["item"]
        values: tuple[str, ...] = raw["in"]
        for item in earlier:
            if item.id == target:
                for value in values:
                    if value not in item.codes:
                        at.key("in").fail(f"condition value {value!r} is not an answer to {target}")
                return Condition(item=target, values=values)
        at.key("item").fail(
            f"condition refers to {target!r}, which is not an earlier item; "
            "a condition can only depend on an item asked before it"
        )

    def _check_gates(self, items: list[Item], at: content.At) -> None:
        seen: dict[str, str] = {}
        for n, item in enumerate(items):
            for gated in item.gates:
                if gated in seen:
                    at.item(n).key("gates").fail(
                        f"{gated} already has a gate ({seen[gated]}); use one gate per outcome"
                    )
                seen[gated] = item.id
