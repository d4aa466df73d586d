"""What identifies a young person in text: their case reference, known-as and date of birth.

Used wherever text must be checked for a young person's identifiers: weeding scrubs
audit details that hold them, and an erasure reason may not hold them.
"""

from __future__ import annotations

import datetime as dt
import re


def date_spellings(day: dt.date) -> tuple[str, ...]:
    """The usual ways a date is written, to find a date of birth inside free text."""
    d, m, y = day.day, day.month, day.year
    month = day.strftime("%B")
    short = day.strftime("%b")
    return (
        f"{y:04d}-{m:02d}-{d:02d}",
        f"{y:04d}/{m:02d}/{d:02d}",
        f"{y:04d}{m:02d}{d:02d}",
        f"{d:02d}/{m:02d}/{y:04d}",
        f"{d}/{m}/{y:04d}",
        f"{d:02d}-{m:02d}-{y:04d}",
        f"{d:02d}.{m:02d}.{y:04d}",
        f"{m:02d}/{d:02d}/{y:04d}",
        f"{d} {month} {y:04d}",
        f"{d:02d} {month} {y:04d}",
        f"{d} {short} {y:04d}",
        f"{month} {d}, {y:04d}",
    )


# What may sit around a case reference without being part of it: "YJ-1" is not in
# "YJ-10" or "AYJ-1", but is in "YJ-1." and "(YJ-1)".
_REF_BEFORE = r"(?<![A-Za-z0-9/_.\-])"
_REF_AFTER = r"(?![A-Za-z0-9]|[/_.\-][A-Za-z0-9])"


def mentions_case_ref(text: str, case_ref: str) -> bool:
    """Whether ``text`` holds ``case_ref`` as a whole reference, in any case."""
    pattern = _REF_BEFORE + re.escape(case_ref.strip()) + _REF_AFTER
    return re.search(pattern, text, re.IGNORECASE) is not None


def names_young_person(
    text: str, case_ref: str, known_as: str | None, date_of_birth: dt.date
) -> bool:
    """Whether ``text`` holds the case reference (whole, any case), the known-as (as a
    whole word, any case) or the date of birth (in any spelling of :func:`date_spellings`)."""
    low = text.lower()
    if mentions_case_ref(text, case_ref):
        return True
    if any(spelling.lower() in low for spelling in date_spellings(date_of_birth)):
        return True
    if not known_as:
        return False
    return re.search(rf"(?<!\w){re.escape(known_as.lower())}(?!\w)", low) is not None


__all__ = ["date_spellings", "mentions_case_ref", "names_young_person"]
