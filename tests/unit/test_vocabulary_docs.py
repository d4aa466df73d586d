"""docs/screening.md explains each outcome under its vocabulary title, every level in order."""

from __future__ import annotations

import re

import pytest
from tests.support.paths import DOCS

from snt_youth import vocabulary

TEXT = (DOCS / "screening.md").read_text(encoding="utf-8")


def levels_in_table_under(title: str) -> list[str]:
    """The first column of the first table after the heading that starts with ``title``."""
    heading = re.search(rf"^### {re.escape(title)}\b.*$", TEXT, flags=re.MULTILINE)
    assert heading is not None, f"docs/screening.md has no heading for {title!r}"
    rest = TEXT[heading.end() :]
    table = re.search(r"^\| outcome \| meaning \|\n\| --- \| --- \|\n((?:\|.*\n)+)", rest, re.M)
    assert table is not None, f"no outcome table under {title!r}"
    return [row.split("|")[1].strip() for row in table.group(1).splitlines()]


@pytest.mark.parametrize("term", vocabulary.OUTCOMES, ids=lambda t: t.name)
def test_each_outcome_table_lists_the_vocabulary_levels_in_order(term: vocabulary.Outcome) -> None:
    assert levels_in_table_under(term.title) == list(term.values)
