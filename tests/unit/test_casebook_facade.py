"""The Casebook facade keeps every method and signature scripts rely on (add, don't rename).

``OLD`` is each method's parameters and return annotation as they were before the
Casebook became a package; a method may only gain optional keyword parameters.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import snt_youth
from snt_youth import casebook
from snt_youth.casebook import Casebook

OLD: dict[str, Any] = {
    "__enter__": (["self"], "Casebook"),
    "__exit__": (["self", "*_: 'object'"], "None"),
    "__init__": (
        ["self", "store: 'Store'", "user: 'str'", "config: 'config_module.ServiceConfig'"],
        "None",
    ),
    "add_note": (
        ["self", "case_ref: 'str'", "text: 'str'", "written_on: 'dt.date | None' = None"],
        "model.CaseNote",
    ),
    "add_young_person": (
        [
            "self",
            "case_ref: 'str'",
            "date_of_birth: 'dt.date'",
            "team: 'str'",
            "gender: 'str | model.Gender' = <Gender.NOT_STATED: 'not stated'>",
            "ethnicity: 'str | model.Ethnicity' = <Ethnicity.NOT_STATED: 'not stated'>",
            "known_as: 'str | None' = None",
            "language: 'str | model.Language' = <Language.ENGLISH: 'en'>",
            "officer: 'str | None' = None",
        ],
        "model.YoungPerson",
    ),
    "amend_screening": (
        [
            "self",
            "screening_id: 'int'",
            "reason: 'str'",
            "answers: 'Mapping[str, str] | None' = None",
            "judgements: 'Sequence[model.Judgement]' = ()",
            "action: 'str | None' = None",
        ],
        "Assessment",
    ),
    "answer": (
        ["self", "screening_id: 'int'", "item_id: 'str'", "response: 'str'"],
        "model.Screening",
    ),
    "assess": (
        ["self", "screening_id: 'int'", "judgements: 'Sequence[model.Judgement]' = ()"],
        "Assessment",
    ),
    "audit_trail": (["self", "since: 'dt.datetime | None' = None"], "list[model.AuditEvent]"),
    "caseload": (["self", "team: 'str | None' = None"], "list[CaseloadRow]"),
    "clear_answer": (["self", "screening_id: 'int'", "item_id: 'str'"], "model.Screening"),
    "close": (["self"], "None"),
    "compare_screenings": (["self", "case_ref: 'str'"], "Comparison"),
    "complete_screening": (
        [
            "self",
            "screening_id: 'int'",
            "action: 'str | None' = None",
            "judgements: 'Sequence[model.Judgement]' = ()",
        ],
        "Assessment",
    ),
    "counts": (["self"], "dict[str, int]"),
    "database": None,
    "draft_for": (
        ["self", "case_ref: 'str'", "stage: 'str | model.Stage'"],
        "model.Screening | None",
    ),
    "drafts": (["self"], "list[model.Screening]"),
    "export_backup": (["self"], "dict[str, Any]"),
    "import_backup": (
        ["self", "data: 'dict[str, Any]'", "source: 'str' = 'backup'"],
        "dict[str, int]",
    ),
    "instrument": (["self"], "Instrument"),
    "is_empty": (["self"], "bool"),
    "notes": (["self", "case_ref: 'str'"], "list[model.CaseNote]"),
    "offer": (["self", "offer_id: 'int'"], "model.SupportOffer"),
    "offer_support": (
        [
            "self",
            "case_ref: 'str'",
            "service: 'str'",
            "stage: 'str | model.Stage | None' = None",
            "offered_on: 'dt.date | None' = None",
            "screening_id: 'int | None' = None",
            "response: 'str | model.OfferResponse' = <OfferResponse.NO_RESPONSE: 'no response yet'>",  # noqa: E501
        ],
        "model.SupportOffer",
    ),
    "offers": (["self", "case_ref: 'str'"], "list[model.SupportOffer]"),
    "open": (
        [
            "cls",
            "url: 'str | None' = None",
            "user: 'str | None' = None",
            "create: 'bool' = True",
            "config_path: 'str | None' = None",
        ],
        "Casebook",
    ),
    "quarterly_report": (
        [
            "self",
            "quarter: 'str | Quarter | None' = None",
            "calendar: 'bool' = False",
            "team: 'str | None' = None",
            "unsuppressed: 'bool' = False",
            "report_date: 'dt.date | None' = None",
        ],
        "QuarterlyReport",
    ),
    "quarters_with_data": (["self", "calendar: 'bool' = False"], "list[Quarter]"),
    "raise_level": (["self", "screening_id: 'int'", "judgement: 'model.Judgement'"], "Assessment"),
    "record_event": (
        ["self", "action: 'str'", "record_type: 'str'", "record_id: 'object'", "detail: 'str'"],
        "None",
    ),
    "record_screening": (
        [
            "self",
            "case_ref: 'str'",
            "stage: 'str | model.Stage'",
            "answers: 'Mapping[str, str]'",
            "screened_on: 'dt.date | None' = None",
            "action: 'str | None' = None",
            "judgements: 'Sequence[model.Judgement]' = ()",
        ],
        "Assessment",
    ),
    "record_session": (
        [
            "self",
            "case_ref: 'str'",
            "matrix_id: 'str'",
            "entries: 'Sequence[model.MatrixEntry]'",
            "held_on: 'dt.date | None' = None",
            "reflection: 'str' = ''",
            "next_steps: 'str' = ''",
            "offer_id: 'int | None' = None",
            "confirmed: 'bool | None' = None",
        ],
        "model.Session",
    ),
    "schema_revision": None,
    "screening": (["self", "screening_id: 'int'"], "model.Screening"),
    "screenings": (["self", "case_ref: 'str'"], "list[model.Screening]"),
    "session": (["self", "session_id: 'int'"], "model.Session"),
    "sessions": (["self", "case_ref: 'str'"], "list[model.Session]"),
    "start_screening": (
        [
            "self",
            "case_ref: 'str'",
            "stage: 'str | model.Stage'",
            "screened_on: 'dt.date | None' = None",
        ],
        "model.Screening",
    ),
    "timeline": (["self", "case_ref: 'str'"], "Timeline"),
    "update_offer": (
        [
            "self",
            "offer_id: 'int'",
            "response: 'str | model.OfferResponse | None' = None",
            "started_on: 'dt.date | None' = None",
            "ended_on: 'dt.date | None' = None",
            "end_reason: 'str | model.EndReason | None' = None",
            "add_contacts: 'int' = 0",
        ],
        "model.SupportOffer",
    ),
    "update_young_person": (["self", "case_ref: 'str'", "**changes: 'Any'"], "model.YoungPerson"),
    "young_people": (
        [
            "self",
            "team: 'str | None' = None",
            "search: 'str | None' = None",
            "limit: 'int | None' = None",
        ],
        "list[model.YoungPerson]",
    ),
    "young_person": (["self", "case_ref: 'str'"], "model.YoungPerson"),
    "snt_youth.open": (
        ["url: 'str | None' = None", "user: 'str | None' = None", "create: 'bool' = True"],
        "Casebook",
    ),
}

#: Names importable from ``snt_youth.casebook`` before the split.
OLD_NAMES = (
    "Assessment",
    "CASE_REF",
    "Casebook",
    "CaseloadRow",
    "Comparison",
    "E",
    "KNOWN_AS",
    "MAX_AGE",
    "MIN_AGE",
    "Timeline",
    "TimelineEvent",
    "choose",
    "default_user",
    "now",
    "today",
)


def _signature(name: str) -> inspect.Signature:
    if name == "snt_youth.open":
        return inspect.signature(snt_youth.open)
    found = inspect.getattr_static(Casebook, name)
    return inspect.signature(found.__func__ if isinstance(found, classmethod) else found)


@pytest.mark.parametrize("name", sorted(OLD))
def test_every_method_keeps_its_signature(name: str) -> None:
    if OLD[name] is None:
        assert isinstance(inspect.getattr_static(Casebook, name), property)
        return
    old_params, old_return = OLD[name]
    signature = _signature(name)
    params = list(signature.parameters.values())
    assert [str(p) for p in params[: len(old_params)]] == old_params
    for added in params[len(old_params) :]:
        assert added.kind is inspect.Parameter.KEYWORD_ONLY, added
        assert added.default is not inspect.Parameter.empty, added
    assert str(signature.return_annotation) == old_return


@pytest.mark.parametrize("name", OLD_NAMES)
def test_old_imports_keep_working(name: str) -> None:
    assert getattr(casebook, name) is not None


def test_every_family_method_is_reached_through_the_facade() -> None:
    from snt_youth.casebook.base import CasebookBase

    families = [c for c in Casebook.__mro__[1:] if issubclass(c, CasebookBase)]
    assert {c.__module__.rsplit(".", 1)[-1] for c in families} >= {
        "people", "screening", "support", "direct_work", "reports", "backup", "audit",
    }  # fmt: skip
    for family in families:
        for name in vars(family):
            if not name.startswith("__"):
                assert hasattr(Casebook, name), (family.__name__, name)
