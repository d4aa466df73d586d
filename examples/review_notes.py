"""A file review of two case notes: language findings and documentation markers.

Run: python examples/review_notes.py
"""

from __future__ import annotations

import datetime as dt

import attrs

from snt_youth.language import review


@attrs.frozen
class Note:
    case_ref: str
    written_on: dt.date
    text: str


NOTES = [
    Note(
        "YJ-0001",
        dt.date(2026, 5, 2),
        "Mr B hit Ms A in the kitchen. Ms A took the children to her sister's. "
        "Jay said he hid upstairs and was scared.",
    ),
    # A note worded badly on purpose, to show a finding.
    # lint-notes: allow
    Note("YJ-0002", dt.date(2026, 5, 9), "Mum failed to protect the children."),
]

if __name__ == "__main__":
    reviews = review.review(NOTES)
    for item in reviews:
        print(item.case_ref, item.written_on, sorted(item.markers), item.rule_ids)
    print()
    print("\n".join(review.summarise(reviews).lines()))
