"""Reporting quarters: UK financial-year quarters by default, calendar quarters by option.

Notation (case-insensitive, spaces optional, written form first):

* Financial year (the default; Q1 is April to June): ``2025-26 Q1``. Also accepted:
  ``2025/26 Q1``, ``2025-2026 Q1``, ``FY2025-26 Q1``, ``Q1 2025-26`` and ``2025-26Q1``.
  ``2025-26`` is the financial year from 1 April 2025 to 31 March 2026, so
  ``2025-26 Q4`` is January to March 2026.
* Calendar year (``calendar=True``; Q1 is January to March): ``2025 Q1``. Also accepted:
  ``Q1 2025``, ``2025Q1`` and ``2025-Q1``.

A bare year with a quarter (``2025 Q1``) is refused for financial quarters, because it
is not clear which financial year is meant; the error says how to write it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from snt_youth import outside_text
from snt_youth.errors import InvalidInput

MIN_YEAR = 1900
MAX_YEAR = 2999

FINANCIAL_FORMS = "2025-26 Q1, 2025/26 Q1, FY2025-26 Q1 or Q1 2025-26"
CALENDAR_FORMS = "2025 Q1, Q1 2025 or 2025Q1"

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_FY = r"(?:fy\s*)?(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{2}|\d{4})"
_CAL = r"(?P<y1>\d{4})"
_Q = r"q(?P<q>\d)"
_FINANCIAL_PATTERNS = (
    re.compile(rf"{_FY}\s*-?\s*{_Q}", re.ASCII),
    re.compile(rf"{_Q}\s*{_FY}", re.ASCII),
)
_CALENDAR_PATTERNS = (
    re.compile(rf"{_CAL}\s*-?\s*{_Q}", re.ASCII),
    re.compile(rf"{_Q}\s*{_CAL}", re.ASCII),
)


def _check_year(_instance: Any, _attribute: Any, value: int) -> None:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"year {value} is outside {MIN_YEAR}..{MAX_YEAR}")


def _check_number(_instance: Any, _attribute: Any, value: int) -> None:
    if value not in (1, 2, 3, 4):
        raise ValueError(f"quarter number {value} is not 1, 2, 3 or 4")


@attrs.frozen(order=False)
class Quarter:
    """One reporting quarter.

    ``year`` is the year the quarter's year starts in: for financial quarters the
    financial year ``2025-26`` has ``year=2025``. Quarters sort by start date, so
    sorting a mixed list of financial and calendar quarters is chronological.
    """

    year: int = attrs.field(validator=_check_year)
    number: int = attrs.field(validator=_check_number)
    calendar: bool = False

    # -- dates ---------------------------------------------------------------
    @property
    def start(self) -> dt.date:
        """The first day of the quarter."""
        month0 = (self.number - 1) * 3 + (0 if self.calendar else 3)
        return dt.date(self.year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the quarter (inclusive)."""
        return self.next().start - dt.timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    # -- arithmetic ----------------------------------------------------------
    def next(self) -> Quarter:
        """The quarter after this one, of the same kind."""
        if self.number == 4:
            return Quarter(self.year + 1, 1, self.calendar)
        return Quarter(self.year, self.number + 1, self.calendar)

    def previous(self) -> Quarter:
        """The quarter before this one, of the same kind."""
        if self.number == 1:
            return Quarter(self.year - 1, 4, self.calendar)
        return Quarter(self.year, self.number - 1, self.calendar)

    def recent(self, count: int) -> tuple[Quarter, ...]:
        """The ``count`` quarters ending with this one, oldest first (for trends)."""
        quarters = [self]
        for _ in range(count - 1):
            quarters.append(quarters[-1].previous())
        return tuple(reversed(quarters))

    # -- ordering: by start date, then kind ----------------------------------
    def _key(self) -> tuple[dt.date, bool]:
        return (self.start, self.calendar)

    def __lt__(self, other: Quarter) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: Quarter) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: Quarter) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: Quarter) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return self._key() >= other._key()

    # -- text ----------------------------------------------------------------
    @property
    def year_label(self) -> str:
        """``2025-26`` for a financial year, ``2025`` for a calendar year."""
        if self.calendar:
            return str(self.year)
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    def __str__(self) -> str:
        return f"{self.year_label} Q{self.number}"

    @property
    def months(self) -> str:
        """The months covered, in words: ``April to June 2025``."""
        first, last = self.start, self.end
        if first.year == last.year:
            return f"{_MONTH_NAMES[first.month - 1]} to {_MONTH_NAMES[last.month - 1]} {last.year}"
        return (
            f"{_MONTH_NAMES[first.month - 1]} {first.year} to "
            f"{_MONTH_NAMES[last.month - 1]} {last.year}"
        )

    @property
    def kind(self) -> str:
        return "calendar" if self.calendar else "financial"

    # -- construction --------------------------------------------------------
    @classmethod
    def containing(cls, day: dt.date, calendar: bool = False) -> Quarter:
        """The quarter that ``day`` lies in."""
        if calendar:
            return cls(day.year, (day.month - 1) // 3 + 1, True)
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1, False)
        return cls(day.year - 1, 4, False)

    @classmethod
    def last_complete(cls, today: dt.date, calendar: bool = False) -> Quarter:
        """The most recent quarter that ended before ``today``.

        On the last day of a quarter that quarter is not yet complete.
        """
        return cls.containing(today, calendar).previous()

    @classmethod
    def parse(cls, text: str, calendar: bool = False) -> Quarter:
        """A quarter from its notation (see the module docstring), or InvalidInput."""
        problem = outside_text.text_problem(str(text))
        if problem is not None:
            raise InvalidInput(f"The quarter {problem}.")
        cleaned = " ".join(str(text).strip().lower().split())
        if calendar:
            return _parse_calendar(text, cleaned)
        return _parse_financial(text, cleaned)


def _refuse(text: str, problem: str, calendar: bool) -> InvalidInput:
    forms = CALENDAR_FORMS if calendar else FINANCIAL_FORMS
    kind = "calendar" if calendar else "financial-year"
    return InvalidInput(f"{text!r} is not a {kind} quarter: {problem}; write it like {forms}.")


def _quarter_number(text: str, value: str, calendar: bool) -> int:
    number = int(value)
    if number not in (1, 2, 3, 4):
        raise _refuse(text, f"there is no quarter {number} (use Q1 to Q4)", calendar)
    return number


def _year(text: str, value: int, calendar: bool) -> int:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise _refuse(text, f"the year {value} is out of range", calendar)
    return value


def _parse_financial(text: str, cleaned: str) -> Quarter:
    for pattern in _FINANCIAL_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            first = _year(text, int(match["y1"]), False)
            second = match["y2"]
            expected = first + 1
            if (len(second) == 2 and int(second) != expected % 100) or (
                len(second) == 4 and int(second) != expected
            ):
                raise _refuse(
                    text,
                    f"a financial year runs over two years in a row, so after {first} "
                    f"comes {expected % 100:02d}",
                    False,
                )
            return Quarter(first, _quarter_number(text, match["q"], False), False)
    for pattern in _CALENDAR_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            _quarter_number(text, match["q"], False)  # "2026 Q5": say there is no Q5
            raise _refuse(
                text,
                "that looks like a calendar quarter; give the financial year as two years "
                "(Q1 2025-26 is April to June 2025), or ask for calendar quarters",
                False,
            )
    raise _refuse(text, "the notation is not recognised", False)


def _parse_calendar(text: str, cleaned: str) -> Quarter:
    for pattern in _CALENDAR_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            year = _year(text, int(match["y1"]), True)
            return Quarter(year, _quarter_number(text, match["q"], True), True)
    for pattern in _FINANCIAL_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            _quarter_number(text, match["q"], True)
            raise _refuse(
                text,
                "that is a financial-year quarter; give one year (2025 Q1 is January to "
                "March 2025), or leave out the calendar option",
                True,
            )
    raise _refuse(text, "the notation is not recognised", True)


containing = Quarter.containing
last_complete = Quarter.last_complete
parse = Quarter.parse

__all__ = ["Quarter", "containing", "last_complete", "parse"]
