"""The Casebook's clock: what "today" and "now" are for every use case.

Pass a clock to ``Casebook(...)`` or ``snt_youth.open(..., clock=...)`` to run the
product on a fixed date (tests, snapshots, a report rebuilt as it was). The default is
the system clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import attrs


class Clock(Protocol):
    """Where the Casebook reads the date and time from."""

    def today(self) -> dt.date:
        """Today's date."""
        ...

    def now(self) -> dt.datetime:
        """The local time now, to the second."""
        ...


def today() -> dt.date:
    """Today's date on the system clock."""
    return dt.date.today()


def now() -> dt.datetime:
    """The system's local time now, to the second."""
    return dt.datetime.now().replace(microsecond=0)


class SystemClock:
    """The computer's own clock (the default)."""

    def today(self) -> dt.date:
        """Today's date on the system clock."""
        return today()

    def now(self) -> dt.datetime:
        """The system's local time now, to the second."""
        return now()


@attrs.frozen
class FixedClock:
    """A clock stopped on one day (at ``at`` on that day, 09:00 by default)."""

    day: dt.date
    at: dt.time = dt.time(9, 0)

    def today(self) -> dt.date:
        """The fixed day."""
        return self.day

    def now(self) -> dt.datetime:
        """The fixed day at the fixed time."""
        return dt.datetime.combine(self.day, self.at)


SYSTEM_CLOCK: Clock = SystemClock()
