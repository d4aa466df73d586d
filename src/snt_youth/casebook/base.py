"""What every use-case family shares: the store, the user, the configuration, the clock.

Each family (people, screening, support, ...) is a mixin over :class:`CasebookBase`;
the :class:`~snt_youth.casebook.Casebook` facade is all of them together. Every change
happens in one transaction (:meth:`CasebookBase._change`) with its audit event.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

import attrs

from snt_youth import config as config_module
from snt_youth import model
from snt_youth.casebook.clock import SYSTEM_CLOCK, Clock
from snt_youth.errors import Conflict, InvalidInput

if TYPE_CHECKING:
    from snt_youth.store import Store, Tx

E = TypeVar("E", bound=StrEnum)


def choose(enum: type[E], value: str | E, what: str) -> E:
    """An enum member from its value or name, case-insensitively, or a clear error."""
    if isinstance(value, enum):
        return value
    wanted = str(value).strip().lower().replace("_", " ")
    for member in enum:
        if wanted in (member.value.lower(), member.name.lower().replace("_", " ")):
            return member
    allowed = ", ".join(repr(m.value) for m in enum)
    raise InvalidInput(f"{what} {value!r} is not one of {allowed}.")


def default_user() -> str:
    """The operating-system login name, or "unknown" when there is none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "unknown"


@attrs.frozen
class Identity:
    """Who a Casebook acts as.

    ``user`` is what the audit trail records (on PostgreSQL, for a named user, their
    login role: the database writes it, whatever a client sends). ``role`` is None
    for the single officer of a SQLite file, "owner" for the schema owner on
    PostgreSQL. ``enforced`` is True when PostgreSQL's row-level security holds
    this session to its teams.
    """

    user: str
    name: str
    role: str | None
    teams: tuple[str, ...]
    enforced: bool = False
    login: str | None = None

    @property
    def sees_all(self) -> bool:
        """True when this user may see every team's young people."""
        return self.role in (None, "owner", "admin") or (self.role == "manager" and not self.teams)

    @property
    def may_move_teams(self) -> bool:
        """True when this user may move a young person to another team."""
        return self.role in (None, "owner", "manager", "admin")


class CasebookBase:
    """The service's records, opened on one database, acting as one user."""

    def __init__(
        self,
        store: Store,
        *,
        user: str,
        config: config_module.ServiceConfig,
        clock: Clock | None = None,
        identity: Identity | None = None,
    ) -> None:
        self._store = store
        self.user = user
        self.identity = identity or Identity(user, user, None, ())
        self.config = config
        self.clock: Clock = clock or SYSTEM_CLOCK

    @contextmanager
    def _change(self) -> Iterator[Tx]:
        """One transaction for one use case: committed on success, else rolled back."""
        with self._store.transaction() as tx:
            yield tx

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """Many use cases in one transaction: every change inside is kept, or none is.

        For loads such as the demo caseload: a process killed half way leaves the
        database as it was. A use case that fails inside is undone on its own (a
        savepoint) and the others carry on.
        """
        with self._store.all_or_nothing():
            yield

    def record_version(self, record_type: str, record_id: int | str) -> int:
        """The stored version of a record, to pass back as ``expected_version=``.

        ``record_type`` is "young_person" (``record_id`` the case reference),
        "screening", "support_offer", "session" or "case_note". Every change raises it
        by one; a change made with an older version is refused with :class:`Conflict`.
        """
        with self._store.reading() as tx:
            version = tx.record_version(record_type, record_id)
        if version is None:
            raise InvalidInput(f"There is no {record_type.replace('_', ' ')} {record_id}.")
        return version

    def _check_version(
        self,
        tx: Tx,
        what: str,
        record_type: str,
        record_id: object,
        stored: int,
        expected: int | None,
    ) -> None:
        """Refuse a change made from an older reading of the record."""
        if expected is not None and expected != stored:
            raise self._conflict(tx, what, record_type, record_id)

    def _conflict(self, tx: Tx, what: str, record_type: str, record_id: object) -> Conflict:
        """The one sentence for a record changed by someone else since it was read."""
        change = tx.last_change(record_type, record_id)
        if change is None:
            by = "someone else"
        else:
            user, at = change
            day = "" if at.date() == self.clock.today() else f" on {at:%Y-%m-%d}"
            by = f"{user} at {at:%H:%M}{day}"
        return Conflict(
            f"{what} was changed by {by} after you opened it; nothing was saved, "
            "reload and try again."
        )

    def _audit(
        self, tx: Tx, action: str, record_type: str, record_id: object, detail: str = ""
    ) -> int:
        """Write one audit event in ``tx``; returns its id."""
        return tx.audit(
            at=self.clock.now(),
            user=self.user,
            action=action,
            record_type=record_type,
            record_id=record_id,
            detail=detail,
        )

    def _audit_alone(self, action: str, record_type: str, record_id: object, detail: str) -> None:
        """Audit something that changes no record (an unsuppressed report, an export)."""
        with self._change() as tx:
            self._audit(tx, action, record_type, record_id, detail)

    def _person(self, case_ref: str) -> model.YoungPerson:
        with self._store.reading() as tx:
            return tx.young_person(case_ref)

    def _event_date(self, case_ref: str, on: dt.date | None, what: str) -> dt.date:
        """``on`` (default today), checked against today and the date of birth."""
        on = on or self.clock.today()
        self._check_event_date(self._person(case_ref), on, what)
        return on

    def _check_event_date(self, person: model.YoungPerson, on: dt.date, what: str) -> None:
        if on > self.clock.today():
            raise InvalidInput(f"{what} {on} is in the future; check the date.")
        if on < person.date_of_birth:
            raise InvalidInput(
                f"{what} {on} is before {person.case_ref}'s date of birth; check the date."
            )
