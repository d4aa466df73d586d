"""A restored backup goes through the same rules as typed input, row by row.

Each row of a backup is checked by the Casebook's own validators (the young person's
fields, event dates against the date of birth and today, the offer rules, matrix
entries, free text), in the order the tables depend on each other. The first row that
breaks a rule refuses the whole import with one line naming the table, the row
(counting from 1) and the field. Values are tidied as typed input is (a team id, a code
in its stored spelling), so what is stored is what a person could have typed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from snt_youth import codec, model
from snt_youth.casebook.support import check_offer_rules
from snt_youth.casebook.text import check_free_text
from snt_youth.errors import FormatError, InvalidInput, SntError

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook
    from snt_youth.protect import Matrix

Rows = dict[str, list[dict[str, Any]]]
E = TypeVar("E", bound=StrEnum)

_PERSON_FIELDS = (
    "case_ref",
    "known_as",
    "date_of_birth",
    "team",
    "gender",
    "ethnicity",
    "language",
    "officer",
)
#: Young person fields whose check does not depend on the row's date (so one answer
#: per value serves every row).
_SAME_ANY_DAY = frozenset(("team", "gender", "ethnicity", "language", "officer"))
_OUTCOMES = (
    ("home", model.HomeAbuse),
    ("relationship", model.Relationship),
    ("own_behaviour", model.OwnBehaviour),
    ("safety", model.SafetyNow),
)


class _Refused(Exception):
    """A row broke a rule: which field, and the sentence that says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _field(field: str, check: Callable[..., Any], *args: Any) -> Any:
    """Run one check on ``args``, naming ``field`` if it refuses."""
    try:
        return check(*args)
    except SntError as exc:
        raise _Refused(field, str(exc)) from None


def _refuse(field: str, message: str) -> None:
    raise _Refused(field, message)


class RestoreCheck:
    """Checks and tidies every row of a backup for one Casebook (its rules, its config)."""

    def __init__(self, book: Casebook, source: str, case_key: Callable[[str], str]) -> None:
        self.book = book
        self.case_key = case_key  # the store's own rule, so the check matches the index
        self.source = source
        self.now = book.clock.now()
        self.people: dict[int, model.YoungPerson] = {}
        self.screenings: dict[int, int] = {}  # screening row id -> young person row id
        self._instruments: dict[int, tuple[str, str]] = {}
        self._drafts: set[tuple[int, model.Stage]] = set()
        self.offers: dict[int, model.SupportOffer] = {}
        self.sessions: dict[int, Matrix] = {}
        self._matrices: dict[str, Matrix] = {}
        self._seen: dict[tuple[str, Any], Any] = {}
        self._refs: dict[str, str] = {}  # case key -> the reference as first seen
        instrument = book.instrument()
        self._instrument = instrument
        self._items = {item.id: frozenset(item.codes) for item in instrument.items}

    def check(self, rows: Rows) -> None:
        """Check every table, in dependency order; FormatError names the first bad row."""
        for table, check_row in (
            ("young_people", self._young_person),
            ("screenings", self._screening),
            ("screening_answers", self._answer),
            ("support_offers", self._offer),
            ("sessions", self._session),
            ("session_entries", self._entry),
            ("case_notes", self._note),
        ):
            if table == "session_entries" and self._entries_all_fine(rows.get(table, [])):
                continue
            for number, row in enumerate(rows.get(table, ()), start=1):
                try:
                    check_row(row)
                except _Refused as refused:
                    raise FormatError(
                        f"{self.source}: {table} row {number}, {refused.field}: {refused} "
                        "Nothing was imported."
                    ) from None

    # -- one method per table ------------------------------------------------------
    def _not_future(self, field: str, at: dt.datetime) -> None:
        if at > self.now:
            _refuse(field, f"{at:%Y-%m-%d %H:%M} is in the future; check the date.")

    def _person(self, person_id: int) -> model.YoungPerson:
        person = self.people.get(person_id)
        if person is None:
            _refuse("young_person_id", f"There is no young person with row id {person_id}.")
        assert person is not None
        return person

    def _young_person(self, row: dict[str, Any]) -> None:
        self._not_future("created_at", row["created_at"])
        on = row["created_at"].date()  # the rules as they were on the day they were added
        for name in _PERSON_FIELDS:
            key = (name, row[name])
            if name in _SAME_ANY_DAY and key in self._seen:
                row[name] = self._seen[key]  # checked already: the answer cannot differ
                continue
            value = _field(name, self.book._person_field, name, row[name], on)
            row[name] = value.value if isinstance(value, StrEnum) else value
            if name in _SAME_ANY_DAY:
                self._seen[key] = row[name]
        person = model.YoungPerson(**{name: row[name] for name in _PERSON_FIELDS})
        if row["id"] in self.people:
            _refuse("id", f"Row id {row['id']} is used twice.")
        ref_key = self.case_key(person.case_ref)
        if ref_key in self._refs:
            _refuse(
                "case_ref",
                f"Case reference {person.case_ref!r} is already in this backup as "
                f"{self._refs[ref_key]!r}; each young person has one reference, whatever its case.",
            )
        self._refs[ref_key] = person.case_ref
        self.people[row["id"]] = person

    def _screening(self, row: dict[str, Any]) -> None:
        person = self._person(row["young_person_id"])
        stage = _field("stage", lambda: _code(model.Stage, row["stage"], "Stage"))
        status = _field("status", lambda: _code(model.ScreeningStatus, row["status"], "Status"))
        _field(
            "screened_on",
            lambda: self.book._check_event_date(person, row["screened_on"], "Screening date"),
        )
        for column, codes in _OUTCOMES:
            if row[column] is not None:
                _field(column, _code, codes, row[column], column.replace("_", " "))
            elif status is model.ScreeningStatus.COMPLETE:
                _refuse(column, "A completed screening must have every outcome.")
        if row["completed_at"] is not None:
            self._not_future("completed_at", row["completed_at"])
        _field("judgements", lambda: _judgements(row["judgements"]))
        if row["safety_action"] is not None:
            _field("safety_action", lambda: check_free_text(row["safety_action"], "The action"))
        if status is model.ScreeningStatus.DRAFT:
            key = (row["young_person_id"], stage)
            if key in self._drafts:
                _refuse(
                    "status",
                    f"{person.case_ref} has a second {stage.value} screening in progress; "
                    "a young person has at most one draft per stage.",
                )
            self._drafts.add(key)
        self.screenings[row["id"]] = row["young_person_id"]
        self._instruments[row["id"]] = (row["instrument_id"], row["instrument_version"])

    def _answer(self, row: dict[str, Any]) -> None:
        if row["screening_id"] not in self.screenings:
            _refuse("screening_id", f"There is no screening with row id {row['screening_id']}.")
        self._not_future("answered_at", row["answered_at"])
        current = (self._instrument.id, self._instrument.version)
        if self._instruments[row["screening_id"]] != current:
            return  # an earlier instrument: its questions are not known here
        codes = self._items.get(row["item_id"])
        if codes is None:
            _refuse("item_id", f"{row['item_id']!r} is not a question of {current[0]}.")
        elif row["response"] not in codes:
            _refuse(
                "response",
                f"{row['response']!r} is not an answer to {row['item_id']}; "
                f"use one of: {', '.join(sorted(codes))}.",
            )

    def _offer(self, row: dict[str, Any]) -> None:
        person = self._person(row["young_person_id"])
        _field("service", lambda: self.book.config.support_service(row["service"]))
        offer = model.SupportOffer(
            id=row["id"],
            case_ref=person.case_ref,
            stage=_field("stage", lambda: _code(model.Stage, row["stage"], "Stage")),
            offered_on=row["offered_on"],
            kind=_field("kind", lambda: _code(model.SupportKind, row["kind"], "Kind")),
            service=row["service"],
            screening_id=row["screening_id"],
            response=_field(
                "response", lambda: _code(model.OfferResponse, row["response"], "Response")
            ),
            started_on=row["started_on"],
            ended_on=row["ended_on"],
            end_reason=None
            if row["end_reason"] is None
            else _field(
                "end_reason", lambda: _code(model.EndReason, row["end_reason"], "End reason")
            ),
            contacts=row["contacts"],
        )
        for name in ("offered_on", "started_on", "ended_on"):
            if row[name] is not None:
                what = name.replace("_", " ").capitalize()
                _field(name, self.book._check_event_date, person, row[name], what)
        screening = row["screening_id"]
        if screening is not None and self.screenings.get(screening) != row["young_person_id"]:
            _refuse("screening_id", f"Screening {screening} is not this young person's.")
        _field("contacts", lambda: check_offer_rules(offer))
        self.offers[row["id"]] = offer

    def _session(self, row: dict[str, Any]) -> None:
        person = self._person(row["young_person_id"])
        _field(
            "held_on", lambda: self.book._check_event_date(person, row["held_on"], "Session date")
        )
        matrix = _field("matrix_id", lambda: self._matrix(row["matrix_id"]))
        for name in ("reflection", "next_steps"):
            _field(name, check_free_text, row[name], f"The {name.replace('_', ' ')}")
        if not str(row["facilitator"]).strip():
            _refuse("facilitator", "A session needs its facilitator.")
        offer_id = row["offer_id"]
        if offer_id is not None:
            offer = self.offers.get(offer_id)
            if offer is None or offer.case_ref != person.case_ref:
                _refuse("offer_id", f"Support offer {offer_id} is not this young person's.")
            elif offer.response is model.OfferResponse.DECLINED:
                _refuse("offer_id", f"Support offer {offer_id} was declined.")
        self.sessions[row["id"]] = matrix

    def _entries_all_fine(self, rows: list[dict[str, Any]]) -> bool:
        """Check every matrix entry with one call per matrix (the matrix's own check);
        True when all pass. Otherwise the rows are checked one by one, to name the
        first bad one."""
        from snt_youth.protect import validate_entries

        by_matrix: dict[str, tuple[Matrix, list[dict[str, Any]]]] = {}
        for row in rows:
            matrix = self.sessions.get(row["session_id"])
            if matrix is None:
                return False
            by_matrix.setdefault(matrix.id, (matrix, []))[1].append(row)
        tidied: list[tuple[dict[str, Any], model.MatrixEntry]] = []
        try:
            for matrix, matrix_rows in by_matrix.values():
                entries = [
                    model.MatrixEntry(r["person"], r["domain"], r["words"]) for r in matrix_rows
                ]
                checked = validate_entries(matrix, entries)
                for row, entry in zip(matrix_rows, checked, strict=True):
                    check_free_text(entry.words, "The words")
                    tidied.append((row, entry))
        except SntError:
            return False
        for row, entry in tidied:
            row.update(person=entry.person, domain=entry.domain, words=entry.words)
        return True

    def _entry(self, row: dict[str, Any]) -> None:
        from snt_youth.protect import validate_entries

        matrix = self.sessions.get(row["session_id"])
        if matrix is None:
            _refuse("session_id", f"There is no session with row id {row['session_id']}.")
        assert matrix is not None
        entry = model.MatrixEntry(row["person"], row["domain"], row["words"])
        (checked,) = _field("person", lambda: validate_entries(matrix, [entry]))
        _field("words", lambda: check_free_text(checked.words, "The words"))
        row.update(person=checked.person, domain=checked.domain, words=checked.words)

    def _note(self, row: dict[str, Any]) -> None:
        person = self._person(row["young_person_id"])
        _field(
            "written_on",
            lambda: self.book._check_event_date(person, row["written_on"], "Note date"),
        )
        if not row["text"].strip():
            _refuse("text", "A case note cannot be empty.")
        _field("text", lambda: check_free_text(row["text"], "The case note"))
        if not str(row["author"]).strip():
            _refuse("author", "A case note needs its author.")

    def _matrix(self, matrix_id: str) -> Matrix:
        from snt_youth.protect import load_matrix

        if matrix_id not in self._matrices:
            self._matrices[matrix_id] = load_matrix(matrix_id)
        return self._matrices[matrix_id]


def _code(codes: type[E], value: str, what: str) -> E:
    """``value`` as a member of ``codes``, spelled exactly as it is stored."""
    try:
        return codes(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(m.value) for m in codes)
        raise InvalidInput(f"{what} {value!r} is not one of {allowed}.") from None


def _judgements(text: str) -> None:
    if text == "[]":
        return  # by far the most common: no level raised
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidInput("The raised levels are not readable (JSON).") from None
    for judgement in codec.structure(data, list[model.Judgement], source="raised levels"):
        check_free_text(judgement.reason, "The reason for a raised level")
