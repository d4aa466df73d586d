"""The chain walk finds any change to a chain of events, and audit output cannot forge
a line (hypothesis draws the chains, the changes and the text)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import attrs
from hypothesis import given
from hypothesis import strategies as st

from snt_youth.cli.audit import escape
from snt_youth.store.chain import GENESIS, ChainRow, content_digest, link_digest, walk

START = dt.datetime(2026, 11, 2, 9, 0)
texts = st.text(max_size=12)


def _chain(contents: list[tuple[str, str, str]]) -> list[ChainRow]:
    rows, previous = [], GENESIS
    for i, (user, record_id, detail) in enumerate(contents, start=1):
        at = START + dt.timedelta(minutes=i, microseconds=i)
        content = content_digest(i, at, user, "add", "young_person", record_id, detail)
        link = link_digest(i, content, previous)
        rows.append(
            ChainRow(i, at, user, "add", "young_person", record_id, detail, content, previous, link)
        )
        previous = link
    return rows


chains = st.lists(st.tuples(texts, texts, texts), min_size=2, max_size=8).map(_chain)


@given(chains)
def test_an_untouched_chain_is_whole(rows: list[ChainRow]) -> None:
    verdict = walk(rows, (rows[-1].id, str(rows[-1].hash)))
    assert verdict.whole and verdict.events == len(rows) and verdict.head == rows[-1].hash


@given(chains, st.data())
def test_any_changed_field_is_named(rows: list[ChainRow], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.sampled_from(["user", "record_id", "detail", "action", "record_type"]))
    new = data.draw(texts.filter(lambda t: t != getattr(rows[i], field)))
    changed = [*rows]
    changed[i] = attrs.evolve(rows[i], **{field: new})
    verdict = walk(changed, (rows[-1].id, str(rows[-1].hash)))
    assert not verdict.whole
    assert verdict.event_id == rows[i].id
    assert verdict.problem == f"Event {rows[i].id} was changed after it was written."


@given(chains, st.data())
def test_any_removed_event_is_found(rows: list[ChainRow], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(rows) - 1))
    removed = rows[:i] + rows[i + 1 :]
    verdict = walk(removed, (rows[-1].id, str(rows[-1].hash)))
    assert not verdict.whole
    assert "removed" in str(verdict.problem)


@given(chains, st.data())
def test_any_inserted_event_is_named(rows: list[ChainRow], data: st.DataObject) -> None:
    """An event linked correctly to the one before it, put anywhere, is named."""
    i = data.draw(st.integers(0, len(rows) - 1))
    before = rows[i]
    new_id = before.id * 100 + 50  # between before and the next, in id order
    at = before.at
    content = content_digest(new_id, at, "x", "add", "young_person", "YJ-X", "")
    forged = ChainRow(
        new_id,
        at,
        "x",
        "add",
        "young_person",
        "YJ-X",
        "",
        content,
        before.hash,
        link_digest(new_id, content, str(before.hash)),
    )
    placed = sorted([*rows, forged], key=lambda r: r.id if r is not forged else before.id + 0.5)
    verdict = walk(placed, (rows[-1].id, str(rows[-1].hash)))
    assert not verdict.whole
    assert verdict.event_id == new_id
    assert f"Event {new_id} was inserted" in str(verdict.problem)


@given(chains)
def test_a_truncated_chain_is_found_by_the_head(rows: list[ChainRow]) -> None:
    verdict = walk(rows[:-1], (rows[-1].id, str(rows[-1].hash)))
    assert not verdict.whole
    assert "newest events" in str(verdict.problem)


@given(st.text())
def test_escaped_text_is_one_line_without_control_characters(text: str) -> None:
    out = escape(text)
    assert "\n" not in out and "\r" not in out
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs") for ch in out)


@given(st.text(), st.text())
def test_escaping_keeps_different_texts_apart(a: str, b: str) -> None:
    if a != b:
        assert escape(a) != escape(b)
