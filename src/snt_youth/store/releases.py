"""Released quarterly figures: what was published, when, and what the intruder check
proved about it (internal only).

A release is one publication (``snt-youth report pack``): the quarter, the report
date, every published figure (a number, or null for ``[c]``) and the intervals the
check proved for each suppressed figure. A later report on the same quarter reuses
the released suppression pattern, so the two cannot be compared to undo it.

The table has its own metadata: it is created by migration 0004 and is not part of a
backup (a backup holds case records; releases are an audit of what left the service).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import attrs
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
)

from snt_youth.store.base import TxBase

release_metadata = MetaData()

report_releases = Table(
    "report_releases",
    release_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quarter", String(16), nullable=False),
    Column("calendar", Boolean, nullable=False),
    Column("report_date", Date, nullable=False),
    Column("released_at", DateTime, nullable=False),
    Column("released_by", String(80), nullable=False),
    Column("reports", Integer, nullable=False),
    Column("figures", Text, nullable=False),
    Column("proof", Text, nullable=False),
    Index("ix_report_releases_quarter", "quarter", "calendar", "report_date"),
)


@attrs.frozen
class Release:
    """One recorded release. ``figures`` maps a key (as a list) to its value or None."""

    id: int
    quarter: str
    calendar: bool
    report_date: dt.date
    released_at: dt.datetime
    released_by: str
    reports: int
    figures: tuple[tuple[tuple[str, ...], int | None], ...]
    proof: tuple[tuple[tuple[str, ...], int, int | None], ...]

    @property
    def suppressed(self) -> tuple[tuple[str, ...], ...]:
        return tuple(key for key, value in self.figures if value is None)


def _release(row: Any) -> Release:
    figures = tuple((tuple(k), v) for k, v in json.loads(row.figures))
    proof = tuple((tuple(k), lo, hi) for k, lo, hi in json.loads(row.proof))
    return Release(
        row.id,
        row.quarter,
        row.calendar,
        row.report_date,
        row.released_at,
        row.released_by,
        row.reports,
        figures,
        proof,
    )


class ReleaseTx(TxBase):
    """Recording and reading releases of quarterly figures."""

    def record_release(
        self,
        *,
        quarter: str,
        calendar: bool,
        report_date: dt.date,
        released_at: dt.datetime,
        released_by: str,
        reports: int,
        figures: Sequence[tuple[tuple[str, ...], int | None]],
        proof: Sequence[tuple[tuple[str, ...], int, int | None]],
    ) -> int:
        result = self.conn.execute(
            insert(report_releases).values(
                quarter=quarter,
                calendar=calendar,
                report_date=report_date,
                released_at=released_at,
                released_by=released_by,
                reports=reports,
                figures=json.dumps([[list(k), v] for k, v in figures]),
                proof=json.dumps([[list(k), lo, hi] for k, lo, hi in proof]),
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def releases(
        self, quarter: str | None = None, *, calendar: bool | None = None
    ) -> list[Release]:
        """Releases, oldest first; only those of ``quarter`` when given."""
        r = report_releases
        query = select(r).order_by(r.c.report_date, r.c.id)
        if quarter is not None:
            query = query.where(r.c.quarter == quarter)
        if calendar is not None:
            query = query.where(r.c.calendar == calendar)
        return [_release(row) for row in self.conn.execute(query)]


__all__ = ["Release", "ReleaseTx", "release_metadata", "report_releases"]
