"""Small messages that workers and widgets post back to screens.

Slow work (loading the caseload, demo data, PDFs, reports) runs in thread workers,
which never touch widgets: they post one of these, and the screen updates itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook, CaseloadRow


@dataclass
class BookOpened(Message):
    """The casebook was opened in a worker; ``rows`` is the caseload (none if ``empty``)."""

    book: Casebook
    empty: bool
    rows: list[CaseloadRow]


@dataclass
class OpenFailed(Message):
    """The casebook could not be opened; ``text`` says why and what to do."""

    text: str


@dataclass
class CaseloadLoaded(Message):
    """The caseload rows were read from the database."""

    rows: list[CaseloadRow]


@dataclass
class DemoProgress(Message):
    """Demo data loading: ``done`` young people so far out of ``total``."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        # A flood of progress messages collapses into the latest one.
        return isinstance(message, DemoProgress)


@dataclass
class DemoLoaded(Message):
    """Demo data is in the database."""

    counts: dict[str, int]


@dataclass
class FileWritten(Message):
    """A worksheet PDF or a report export was written."""

    path: Path
    what: str


@dataclass
class ReportReady(Message):
    """The quarterly report was built (``report`` is a QuarterlyReport)."""

    report: Any


@dataclass
class WorkFailed(Message):
    """Slow work failed with an expected error; ``text`` says what to do."""

    text: str


@dataclass
class CaseChosen(Message):
    """A young person was chosen in the caseload."""

    case_ref: str


@dataclass
class RecordsChanged(Message):
    """Something was written for ``case_ref``: screens showing it should refresh."""

    case_ref: str
