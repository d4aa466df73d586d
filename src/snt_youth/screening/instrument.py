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

Loading validates the whole file and raises :class:`~snt_youth.errors.ContentError`
naming the file, the item and the problem. Nothing is half-loaded.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

import attrs

from snt_youth import locations, vocabulary
from snt_youth.config import ServiceConfig
from snt_youth.errors import ContentError, InvalidInput, NotFound

FORMAT = "snt-youth-instrument"
FORMAT_VERSION = 1

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

SHIPPED_DIR = locations.DATA_DIR / "instruments"

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_TOP_KEYS = frozenset(
    {
        "format",
        "format_version",
        "id",
        "version",
        "title",
        "description",
        "scoring",
        "response_sets",
        "sections",
        "items",
    }
)
_SECTION_KEYS = frozenset({"id", "title", "young_person_intro", "officer_intro"})
_ITEM_KEYS = frozenset(
    {
        "id",
        "section",
        "outcome",
        "officer",
        "young_person",
        "guidance",
        "responses",
        "concern",
        "timing",
        "level",
        "condition",
        "safety_now",
        "immediate_danger",
        "required",
        "gates",
        "opens",
    }
)
_RESPONSE_KEYS = frozenset({"code", "label", "key"})


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

    def has_item(self, item_id: str) -> bool:
        return any(item.id == item_id for item in self.items)

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


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def shipped_instruments() -> list[str]:
    """Ids of the instruments shipped with snt-youth."""
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))


def resolve(id_or_path: str | Path, *, relative_to: Path | None = None) -> Path:
    """The file for a shipped instrument id or a path (relative paths from ``relative_to``)."""
    text = str(id_or_path)
    looks_like_path = isinstance(id_or_path, Path) or any(
        mark in text for mark in ("/", "\\", ".toml")
    )
    if not looks_like_path and _ID.match(text):
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

    Raises :class:`NotFound` for an unknown shipped id, and :class:`ContentError`
    naming the file, item and problem for a bad file.
    """
    path = resolve(id_or_path, relative_to=relative_to).resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise ContentError(path, "", "instrument file not found") from None
    except OSError as exc:
        raise ContentError(path, "", f"cannot be read ({exc})") from None
    return _load_cached(str(path), stamp)


def instrument_for(config: ServiceConfig) -> Instrument:
    """The instrument a service configuration names (relative paths from the config file)."""
    source = config.source
    base = Path(source).parent if source and not source.startswith("<") else None
    return load_instrument(config.service.instrument, relative_to=base)


@lru_cache(maxsize=32)
def _load_cached(path: str, _stamp: int) -> Instrument:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "", f"cannot be read ({exc})") from None
    return parse_instrument(text, path)


def parse_instrument(text: str, path: str = "<instrument>") -> Instrument:
    """Parse and validate instrument TOML text; ``path`` names it in errors."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML ({exc})") from None
    return _Parser(path).instrument(raw)


class _Parser:
    """Turns raw TOML data into an Instrument, failing on the first problem."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> NoReturn:
        raise ContentError(self.path, where, problem)

    # -- small typed readers ------------------------------------------------

    def _unknown_keys(self, table: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            self.fail(
                where, f"unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}"
            )

    def _text(
        self, table: Mapping[str, Any], key: str, where: str, *, required: bool = True
    ) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.fail(where, f"{key} must be text")
        value = " ".join(value.split())
        if required and not value:
            self.fail(where, f"{key} is missing or empty")
        return value

    def _ident(self, table: Mapping[str, Any], key: str, where: str) -> str:
        value = self._text(table, key, where)
        if not _ID.match(value):
            self.fail(where, f"{key} {value!r} must be lower-case letters, digits, '-' or '_'")
        return value

    def _bool(self, table: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f"{key} must be true or false")
        return value

    def _codes(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, f"{key} must be a list of response codes")
        return tuple(value)

    # -- the whole file -----------------------------------------------------

    def instrument(self, raw: dict[str, Any]) -> Instrument:
        self._unknown_keys(raw, _TOP_KEYS, "top level")
        fmt = raw.get("format", FORMAT)
        if fmt != FORMAT:
            self.fail("format", f"this is a {fmt!r} file, not a screening instrument ({FORMAT!r})")
        version_number = raw.get("format_version", FORMAT_VERSION)
        if not isinstance(version_number, int) or isinstance(version_number, bool):
            self.fail("format_version", "must be a whole number")
        if version_number > FORMAT_VERSION:
            self.fail(
                "format_version",
                f"version {version_number} is newer than this snt-youth understands "
                f"({FORMAT_VERSION}); upgrade snt-youth",
            )
        ident = self._ident(raw, "id", "top level")
        version = raw.get("version")
        if isinstance(version, int | float) and not isinstance(version, bool):
            version = str(version)
        if not isinstance(version, str) or not version.strip():
            self.fail("version", 'the instrument needs a version, for example version = "1.0"')
        title = self._text(raw, "title", "top level")
        description = self._text(raw, "description", "top level", required=False)
        threshold = self._threshold(raw.get("scoring", {}))
        sets = self._response_sets(raw.get("response_sets", {}))
        sections = self._sections(raw.get("sections"))
        items = self._items(raw.get("items"), sets, {s.id for s in sections})
        self._check_gates(items)
        return Instrument(
            id=ident,
            version=version.strip(),
            title=title,
            description=description,
            sections=sections,
            items=items,
            pattern_threshold=threshold,
            source=self.path,
        )

    def _threshold(self, scoring: Any) -> int:
        if not isinstance(scoring, dict):
            self.fail("scoring", "must be a table")
        self._unknown_keys(scoring, frozenset({"pattern_threshold"}), "scoring")
        value = scoring.get("pattern_threshold", 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail("scoring.pattern_threshold", "must be a whole number, 0 or more")
        return value

    def _response_sets(self, raw: Any) -> dict[str, list[Any]]:
        if not isinstance(raw, dict):
            self.fail("response_sets", "must be a table of named response lists")
        for name, responses in raw.items():
            if not isinstance(responses, list):
                self.fail(f"response_sets.{name}", "must be a list of responses")
        return raw

    def _sections(self, raw: Any) -> tuple[Section, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("sections", "at least one [[sections]] table is needed")
        sections: list[Section] = []
        for i, table in enumerate(raw):
            where = f"sections[{i}]"
            if not isinstance(table, dict):
                self.fail(where, "must be a table")
            self._unknown_keys(table, _SECTION_KEYS, where)
            ident = self._ident(table, "id", where)
            where = f"section {ident!r}"
            if any(s.id == ident for s in sections):
                self.fail(where, f"duplicate section id {ident!r}")
            sections.append(
                Section(
                    id=ident,
                    title=self._text(table, "title", where),
                    young_person_intro=self._text(
                        table, "young_person_intro", where, required=False
                    ),
                    officer_intro=self._text(table, "officer_intro", where, required=False),
                )
            )
        return tuple(sections)

    def _responses(self, raw: Any, sets: dict[str, list[Any]], where: str) -> tuple[Response, ...]:
        if isinstance(raw, str):
            if raw not in sets:
                known = ", ".join(sorted(sets)) or "none defined"
                self.fail(where, f"unknown response set {raw!r} (response sets: {known})")
            raw = sets[raw]
        if not isinstance(raw, list) or not raw:
            self.fail(where, "responses must name a response set or list responses")
        responses: list[Response] = []
        for j, table in enumerate(raw):
            at = f"{where}, responses[{j}]"
            if not isinstance(table, dict):
                self.fail(at, "each response must be a table with code, label and key")
            self._unknown_keys(table, _RESPONSE_KEYS, at)
            code = self._ident(table, "code", at)
            label = self._text(table, "label", at)
            key = self._text(table, "key", at)
            if len(key) != 1:
                self.fail(at, f"key {key!r} must be a single character")
            for other in responses:
                if other.code == code:
                    self.fail(where, f"duplicate response code {code!r}")
                if other.key == key:
                    self.fail(where, f"duplicate key {key!r} (used by {other.code} and {code})")
            if key == NOT_ASKED_KEY and code != NOT_ASKED:
                self.fail(where, f"key {NOT_ASKED_KEY!r} is kept for 'not asked'; choose another")
            responses.append(Response(code=code, label=label, key=key))
        codes = [r.code for r in responses]
        for needed in REQUIRED_CODES:
            if needed not in codes:
                self.fail(
                    where,
                    f"responses must include {needed!r}; every item offers "
                    f"{' and '.join(REQUIRED_CODES)}",
                )
        if NOT_ASKED not in codes:
            responses.append(Response(code=NOT_ASKED, label="Not asked", key=NOT_ASKED_KEY))
        return tuple(responses)

    def _items(
        self, raw: Any, sets: dict[str, list[Any]], section_ids: set[str]
    ) -> tuple[Item, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("items", "at least one [[items]] table is needed")
        items: list[Item] = []
        for i, table in enumerate(raw):
            if not isinstance(table, dict):
                self.fail(f"items[{i}]", "must be a table")
            ident = self._ident(table, "id", f"items[{i}]")
            where = f"item {ident!r}"
            if any(item.id == ident for item in items):
                self.fail(where, f"duplicate item id {ident!r}")
            items.append(self._item(table, where, ident, sets, section_ids, items))
        return tuple(items)

    def _item(
        self,
        table: dict[str, Any],
        where: str,
        ident: str,
        sets: dict[str, list[Any]],
        section_ids: set[str],
        earlier: list[Item],
    ) -> Item:
        self._unknown_keys(table, _ITEM_KEYS, where)
        section = self._text(table, "section", where)
        if section not in section_ids:
            self.fail(
                where, f"unknown section {section!r}; sections: {', '.join(sorted(section_ids))}"
            )
        outcome = self._text(table, "outcome", where)
        if outcome not in ITEM_OUTCOMES:
            self.fail(where, f"unknown outcome {outcome!r}; use one of {', '.join(ITEM_OUTCOMES)}")
        officer = self._text(table, "officer", where)
        young_person = self._text(table, "young_person", where)
        guidance = self._text(table, "guidance", where, required=False)
        if "responses" not in table:
            self.fail(where, "responses are missing")
        responses = self._responses(table["responses"], sets, where)
        codes = {r.code for r in responses}

        concern = self._codes(table, "concern", where)
        for code in concern:
            if code not in codes:
                self.fail(where, f"concern response {code!r} is not one of its responses")
            if code in MISSING_CODES:
                self.fail(where, f"{code!r} is a missing-data code and cannot be a concern")
        if len(set(concern)) != len(concern):
            self.fail(where, "a concern response is listed twice")

        safety_now = self._bool(table, "safety_now", where, outcome == "safety")
        if outcome == "safety" and not safety_now:
            self.fail(where, "a safety item is always a safety-now item; remove safety_now = false")
        immediate = self._bool(table, "immediate_danger", where, False)
        if immediate and not concern:
            self.fail(where, "immediate_danger needs concern responses to say when it applies")
        required = self._bool(table, "required", where, True)

        timing = self._timing(table, where, outcome, concern)
        levels = self._levels(table, where, outcome, concern, timing)
        gates, opens = self._gate(table, where, outcome, concern, codes)
        condition = self._condition(table, where, earlier)
        return Item(
            id=ident,
            section=section,
            outcome=outcome,
            officer=officer,
            young_person=young_person,
            guidance=guidance,
            responses=responses,
            concern=concern,
            concern_levels=levels,
            timing=timing,
            condition=condition,
            safety_now=safety_now,
            immediate_danger=immediate,
            required=required,
            gates=gates,
            opens=opens,
        )

    def _timing(
        self, table: dict[str, Any], where: str, outcome: str, concern: tuple[str, ...]
    ) -> dict[str, str]:
        raw = table.get("timing")
        if outcome != "home":
            if raw is not None:
                self.fail(where, "timing is only for home items (past or ongoing)")
            return {}
        if not concern:
            if raw is not None:
                self.fail(where, "timing needs concern responses")
            return {}
        if raw is None:
            self.fail(where, 'home items need timing: "past", "ongoing", or a table per response')
        timing = dict.fromkeys(concern, raw) if isinstance(raw, str) else raw
        if not isinstance(timing, dict):
            self.fail(where, "timing must be text or a table of response = timing")
        for code, value in timing.items():
            if code not in concern:
                self.fail(where, f"timing is given for {code!r}, which is not a concern response")
            if value not in TIMINGS:
                self.fail(where, f"timing {value!r} must be one of {', '.join(TIMINGS)}")
        for code in concern:
            if code not in timing:
                self.fail(where, f"timing is missing for concern response {code!r}")
        return timing

    def _levels(
        self,
        table: dict[str, Any],
        where: str,
        outcome: str,
        concern: tuple[str, ...],
        timing: dict[str, str],
    ) -> dict[str, str]:
        raw = table.get("level")
        if outcome in ("home", "safety", GATE):
            if raw is not None:
                self.fail(where, f"level is not used for {outcome} items")
            if outcome == "home":
                return dict(timing)
            return dict.fromkeys(concern, "concern")
        allowed = CONCERN_LEVELS[outcome]
        level = allowed[0] if raw is None else raw
        if level not in allowed:
            self.fail(where, f"level {level!r} must be one of {', '.join(allowed)}")
        return dict.fromkeys(concern, level)

    def _gate(
        self,
        table: dict[str, Any],
        where: str,
        outcome: str,
        concern: tuple[str, ...],
        codes: set[str],
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        gates = self._codes(table, "gates", where)
        opens = self._codes(table, "opens", where)
        if outcome != GATE:
            if gates or opens:
                self.fail(where, 'gates and opens are only for gate items (outcome = "gate")')
            return (), ()
        if concern:
            self.fail(where, "a gate item decides whether questions apply; it has no concern")
        if not gates:
            self.fail(where, "a gate item needs gates, the outcomes it decides")
        for gated in gates:
            if gated not in CLOSED_LEVELS:
                self.fail(
                    where,
                    f"cannot gate {gated!r}; a gate can decide {', '.join(CLOSED_LEVELS)}",
                )
        if not opens:
            self.fail(where, "a gate item needs opens, the responses that mean the questions apply")
        for code in opens:
            if code not in codes:
                self.fail(where, f"opens response {code!r} is not one of its responses")
            if code in MISSING_CODES:
                self.fail(where, f"{code!r} is a missing-data code and cannot open a gate")
        return gates, opens

    def _condition(
        self, table: dict[str, Any], where: str, earlier: list[Item]
    ) -> Condition | None:
        raw = table.get("condition")
        if raw is None:
            return None
        if not isinstance(raw, dict) or set(raw) != {"item", "in"}:
            self.fail(
                where, 'condition must be { item = "earlier-item-id", in = ["response", ...] }'
            )
        target = raw["item"]
        values = raw["in"]
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) for v in values)
        ):
            self.fail(where, "condition 'in' must be a non-empty list of response codes")
        for item in earlier:
            if item.id == target:
                for value in values:
                    if value not in item.codes:
                        self.fail(where, f"condition value {value!r} is not an answer to {target}")
                return Condition(item=target, values=tuple(values))
        self.fail(
            where,
            f"condition refers to {target!r}, which is not an earlier item; "
            "a condition can only depend on an item asked before it",
        )

    def _check_gates(self, items: tuple[Item, ...]) -> None:
        seen: dict[str, str] = {}
        for item in items:
            for gated in item.gates:
                if gated in seen:
                    self.fail(
                        f"item {item.id!r}",
                        f"{gated} already has a gate ({seen[gated]}); use one gate per outcome",
                    )
                seen[gated] = item.id
