"""Which session a matrix worksheet is prefilled from.

A worksheet printed for a young person that takes a session (the matrix worksheets)
is prefilled with what they said in their latest session with that matrix, so the
next session starts from their own words. This is the one place that rule lives:
the CLI (single and batch printing) and the terminal app both ask it.

Pure: it looks only at the records it is given.
"""

from __future__ import annotations

from collections.abc import Iterable

from snt_youth.model import Session

__all__ = ["session_to_prefill"]


def session_to_prefill(sessions: Iterable[Session], matrix_id: str | None) -> Session | None:
    """The session to prefill a worksheet with, or ``None`` to print it unfilled.

    ``sessions`` are the young person's sessions, in any order. ``matrix_id`` is the
    matrix the worksheet prints, or ``None`` when the worksheet takes no session.
    The choice is the latest session held with that matrix; two on the same day go
    to the one recorded last. Sessions with other matrices are never used, because
    their rows and columns would not fit.
    """
    if matrix_id is None:
        return None
    matching = [s for s in sessions if s.matrix_id == matrix_id]
    if not matching:
        return None
    return max(matching, key=lambda s: (s.held_on, s.id))
