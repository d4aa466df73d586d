"""snt-youth: Safe & Together screening, direct work and support tracking for youth justice.

``import snt_youth`` stays light: the database, TUI and PDF libraries load only when
used. Start with :func:`open`::

    import snt_youth
    with snt_youth.open("sqlite:///casebook.sqlite3", user="a.officer") as book:
        book.add_young_person(...)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from snt_youth.casebook import Casebook, Clock


def open(
    url: str | None = None,
    *,
    user: str | None = None,
    create: bool = True,
    clock: Clock | None = None,
) -> Casebook:
    """Open the casebook at ``url`` (default: ``SNT_YOUTH_DB`` or the embedded SQLite file).

    ``user`` is recorded against every change (default: ``SNT_YOUTH_USER`` or the OS login).
    With ``create`` (the default) a missing database is created and an old one upgraded.
    ``clock`` says what today is (default: the system clock; see ``casebook.FixedClock``).
    """
    from snt_youth.casebook import Casebook

    return Casebook.open(url, user=user, create=create, clock=clock)


__all__ = ["__version__", "open"]
