"""Every record in the model survives the codec and JSON unchanged.

The records are found by inspection, so a record added to ``model.py`` is covered
without anyone remembering to add it here.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snt_youth import codec, model
from snt_youth.errors import FormatError

RECORDS = sorted(
    (cls for _, cls in inspect.getmembers(model, inspect.isclass) if attrs.has(cls)),
    key=lambda cls: cls.__name__,
)


def test_the_model_has_records_to_check() -> None:
    names = {cls.__name__ for cls in RECORDS}
    assert {"YoungPerson", "Screening", "SupportOffer", "Session", "AuditEvent"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_record_round_trips_through_json(cls: type[Any], data: st.DataObject) -> None:
    record = data.draw(st.from_type(cls))
    plain = json.loads(json.dumps(codec.unstructure(record)))
    assert codec.structure(plain, cls, human=False) == record
    # The strict converter (for files a person wrote) reads what the product writes.
    assert codec.structure(plain, cls, human=True) == record


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_unknown_field_is_refused_by_name_for_human_input(
    cls: type[Any], data: st.DataObject
) -> None:
    record = data.draw(st.from_type(cls))
    plain = codec.unstructure(record)
    plain["surname"] = "x"
    with pytest.raises(FormatError, match=r"unknown field.*surname"):
        codec.structure(plain, cls, source="t.json", human=True)
