"""The audit trail's hash chain: the canonical form of an event, and the walk that
checks it.

Every event stores three SHA-256 digests (64 lower-case hex characters):

- ``content_hash``: of the event's canonical content, the UTF-8 bytes of the JSON
  object with exactly the keys ``action``, ``at``, ``detail``, ``id``,
  ``record_id``, ``record_type`` and ``user``, sorted, with ``,`` and ``:`` as
  separators and every character beyond ASCII escaped (``json.dumps(...,
  sort_keys=True, separators=(",", ":"), ensure_ascii=True)``). ``at`` is the time
  in ISO 8601 with microseconds (``2026-12-02T09:15:00.000000``), ``id`` a number,
  the others text.
- ``prev_hash``: the ``hash`` of the event before it (64 zeros for the first).
- ``hash``: of the canonical JSON ``{"content_hash": ..., "id": ..., "prev_hash": ...}``.

Because the link covers the content digest, not the content, a redaction may clear
an event's record and detail and keep its digests: the link still checks, and the
walk then asks that a later ``redact`` event accounts for exactly the events that
name it. An edit not marked that way changes the content digest, and is found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

GENESIS = "0" * 64

#: The action of the event that redacts others; its detail starts with their count.
REDACT_ACTION = "redact"
_COUNT = re.compile(r"^(\d+) ")


def _canonical(value: dict[str, Any]) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _iso(at: dt.datetime) -> str:
    return at.isoformat(timespec="microseconds")


def content_digest(
    event_id: int,
    at: dt.datetime,
    user: str,
    action: str,
    record_type: str,
    record_id: str,
    detail: str,
) -> str:
    """The SHA-256 of an event's canonical content (see the module text)."""
    content = {
        "action": action,
        "at": _iso(at),
        "detail": detail,
        "id": event_id,
        "record_id": record_id,
        "record_type": record_type,
        "user": user,
    }
    return hashlib.sha256(_canonical(content)).hexdigest()


def link_digest(event_id: int, content_hash: str, prev_hash: str) -> str:
    """The SHA-256 that ties an event's content digest to the event before it."""
    link = {"content_hash": content_hash, "id": event_id, "prev_hash": prev_hash}
    return hashlib.sha256(_canonical(link)).hexdigest()


@attrs.frozen
class ChainRow:
    """One stored event, as the walk reads it."""

    id: int
    at: dt.datetime
    user: str
    action: str
    record_type: str
    record_id: str
    detail: str
    content_hash: str | None
    prev_hash: str | None
    hash: str | None
    redacted_by: int | None = None


@attrs.frozen
class Verdict:
    """What the walk found: ``problem`` is None when the chain is whole."""

    events: int
    head: str
    problem: str | None = None
    event_id: int | None = None

    @property
    def whole(self) -> bool:
        return self.problem is None


def _redaction_problem(
    row: ChainRow,
    by_id: dict[int, ChainRow],
    marked: dict[int, int],
    outside: Mapping[int, tuple[ChainRow, int]] | None = None,
) -> bool:
    """True when a row marked as redacted is not accounted for by a later redact event.

    ``outside`` holds this database's own redact events that cleared a restored
    history's events (weeding), with how many restored events each of them cleared.
    """
    if row.redacted_by is None:
        return False
    if outside is not None and row.redacted_by in outside:
        clearer, total = outside[row.redacted_by]
        said = _COUNT.match(clearer.detail)
        return clearer.action != REDACT_ACTION or said is None or int(said.group(1)) != total
    redactor = by_id.get(row.redacted_by)
    if redactor is None or redactor.id <= row.id or redactor.action != REDACT_ACTION:
        return True
    count = _COUNT.match(redactor.detail)
    return count is None or int(count.group(1)) != marked.get(redactor.id, 0)


def walk(
    rows: Sequence[ChainRow],
    head: tuple[int, str] | None = None,
    *,
    label: str = "Event",
    outside: Mapping[int, tuple[ChainRow, int]] | None = None,
) -> Verdict:
    """Check every link of the chain, oldest first (``rows`` in id order).

    ``head`` is the newest (id, hash) the database recorded, which shows events
    removed from the end. The first problem is named in one sentence.
    """
    by_id = {r.id: r for r in rows}
    position = {r.hash: i for i, r in enumerate(rows) if r.hash is not None}
    marked: dict[int, int] = {}
    for r in rows:
        if r.redacted_by is not None:
            marked[r.redacted_by] = marked.get(r.redacted_by, 0) + 1
    previous = GENESIS
    for i, row in enumerate(rows):
        found = _problem(rows, i, row, previous, by_id, marked, position, label, outside)
        if found is not None:
            return Verdict(len(rows), previous, found[1], found[0])
        assert row.hash is not None
        previous = row.hash
    if head is not None and head[1] != previous:
        last = rows[-1].id if rows else None
        if head[1] in position and position[head[1]] + 1 < len(rows):
            extra = rows[position[head[1]] + 1]
            return Verdict(
                len(rows),
                previous,
                f"{label} {extra.id} was inserted: snt-youth's newest event is {head[0]}.",
                extra.id,
            )
        after = f"after event {last}" if last is not None else "from the start"
        return Verdict(
            len(rows),
            previous,
            f"The newest events {after} were removed: snt-youth recorded event {head[0]} "
            "as its newest.",
            head[0],
        )
    return Verdict(len(rows), previous)


def _problem(
    rows: Sequence[ChainRow],
    i: int,
    row: ChainRow,
    previous: str,
    by_id: dict[int, ChainRow],
    marked: dict[int, int],
    position: dict[str, int],
    label: str,
    outside: Mapping[int, tuple[ChainRow, int]] | None = None,
) -> tuple[int, str] | None:
    if row.hash is None or row.prev_hash is None or row.content_hash is None:
        return (
            row.id,
            f"{label} {row.id} has no place in the chain: it was inserted outside snt-youth.",
        )
    if row.redacted_by is None:
        digest = content_digest(
            row.id, row.at, row.user, row.action, row.record_type, row.record_id, row.detail
        )
        if digest != row.content_hash:
            return row.id, f"{label} {row.id} was changed after it was written."
    elif _redaction_problem(row, by_id, marked, outside):
        return row.id, (
            f"{label} {row.id} is marked as redacted, but no later redaction event accounts for it."
        )
    if link_digest(row.id, row.content_hash, row.prev_hash) != row.hash:
        return row.id, f"{label} {row.id} was changed after it was written."
    if row.prev_hash == previous:
        return None
    before = rows[i - 1].id if i else None
    if row.prev_hash == GENESIS and i:
        return rows[0].id, f"{label} {rows[0].id} was inserted before the first event."
    j = position.get(row.prev_hash)
    if j is not None and j < i - 1:
        extra = rows[j + 1].id
        return (
            extra,
            f"{label} {extra} was inserted between {label.lower()}s {rows[j].id} and {row.id}.",
        )
    if before is None:
        return row.id, f"An event was removed before {label.lower()} {row.id}, the first left."
    return row.id, f"An event was removed between {label.lower()}s {before} and {row.id}."
