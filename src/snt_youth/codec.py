"""The one cattrs converter for the product, configured in one place.

``unstructure``/``structure`` turn records into plain JSON-ready data and back.
``strict`` is the variant for files a person wrote: unknown keys are refused so a
typo is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, TypeVar

import attrs
from cattrs import Converter
from cattrs.errors import BaseValidationError, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn

from snt_youth.errors import FormatError

T = TypeVar("T")


def _register_dates(converter: Converter) -> None:
    converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    converter.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
    converter.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
    converter.register_structure_hook(dt.datetime, lambda v, _: dt.datetime.fromisoformat(v))


def _register_enums(converter: Converter) -> None:
    converter.register_unstructure_hook(Enum, lambda e: e.value)


def _register_forbid_extra(converter: Converter) -> None:
    def factory(cls: type[Any]) -> Any:
        return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

    converter.register_structure_hook_factory(attrs.has, factory)


def _make(forbid_extra: bool) -> Converter:
    converter = Converter()
    _register_dates(converter)
    _register_enums(converter)
    if forbid_extra:
        _register_forbid_extra(converter)
    return converter


converter = _make(forbid_extra=False)
strict = _make(forbid_extra=True)


def unstructure(record: Any) -> Any:
    """A record (or list/dict of records) as plain JSON-ready data."""
    return converter.unstructure(record)


def structure(data: Any, cls: type[T], *, source: str = "input", human: bool = True) -> T:
    """Data back into a record, with a one-line error naming ``source`` on failure."""
    conv = strict if human else converter
    try:
        return conv.structure(data, cls)
    except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise FormatError(f"{source}: {describe(exc)}") from None


def describe(exc: BaseException) -> str:
    """A short human description of a cattrs validation error (first problem only)."""
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s) {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, ClassValidationError | BaseValidationError):
        for sub in exc.exceptions:
            notes = [str(n) for n in getattr(sub, "__notes__", [])]
            where = notes[0] if notes else ""
            inner = describe(sub)
            return f"{where}: {inner}" if where else inner
        return str(exc)
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc) or type(exc).__name__
