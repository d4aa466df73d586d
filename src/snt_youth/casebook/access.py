"""Who you are, what you can see, and the users of a service.

On PostgreSQL the database decides: you are the role you log in as
(``session_user``), row-level security shows you only the young people of your
teams, and the audit trail writes your login whatever a client sends. A young person
outside your teams is "not found", with the same sentence as an unknown reference.

On SQLite (one officer's own file) you are your operating-system login, or
``--user``; users may be listed, but the file is yours to read whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from snt_youth.casebook.base import CasebookBase, Identity, default_user
from snt_youth.errors import InvalidInput
from snt_youth.outside_text import control_character

if TYPE_CHECKING:
    from snt_youth.store import Store
    from snt_youth.store.chain import Verdict
    from snt_youth.store.users import StoredUser

ROLES = ("officer", "champion", "manager", "admin")

REFUSE_USER = (
    "On PostgreSQL you are the role you log in as ({login}); --user and SNT_YOUTH_USER "
    "cannot name someone else. Leave them unset."
)


@attrs.frozen
class User:
    """A named user of the service."""

    name: str
    login: str
    role: str
    teams: tuple[str, ...]
    disabled: bool


def resolve_identity(store: Store, requested: str | None) -> Identity:
    """Who this Casebook acts as (see the module text); InvalidInput says why not."""
    if requested is not None:
        requested = requested.strip()
        bad = control_character(requested)
        if bad is not None:
            raise InvalidInput(
                f"The user name has a control character ({bad}) in it; give --user NAME "
                "on one line."
            )
    with store.reading() as tx:
        login = tx.session_login()
        if login is not None:
            named = tx.user_by_login(login)
            if named is not None:
                if requested and requested not in (login, named.name):
                    raise InvalidInput(REFUSE_USER.format(login=login))
                return Identity(
                    login, named.name, named.role, named.teams, enforced=True, login=login
                )
            who = requested or login
            owner = "owner" if tx.is_superuser() or tx.owns_schema() else None
            return Identity(who, who, owner, (), enforced=False, login=login)
        who = requested or default_user()
        if not who:
            raise InvalidInput("The user name cannot be empty; give --user NAME.")
        named_here = tx.user_or_none(who)
    if named_here is not None:
        return Identity(who, named_here.name, named_here.role, named_here.teams, enforced=False)
    return Identity(who, who, None, (), enforced=False)


class AccessCases(CasebookBase):
    """Use cases about users, roles, teams and the audit chain."""

    def whoami(self) -> Identity:
        """Your name, login, role and teams, and whether the database enforces them."""
        return self.identity

    def users(self) -> list[User]:
        """Every named user, by name."""
        with self._store.reading() as tx:
            return [_user(u) for u in tx.users()]

    def add_user(self, name: str, role: str, teams: Sequence[str] = ()) -> User:
        """Add a named user with ``role`` and ``teams`` (on PostgreSQL, a login role)."""
        role = role.strip().lower()
        if role not in ROLES:
            raise InvalidInput(f"Role {role!r} is not one of {', '.join(ROLES)}.")
        checked = self._teams(teams)
        if role in ("officer", "champion") and not checked:
            raise InvalidInput(f"An {role} needs at least one team: give --team TEAM.")
        with self._change() as tx:
            stored = tx.add_user(name.strip(), role, checked, self.clock.now())
            self._audit(tx, "add", "user", stored.name, f"{role}; teams: {_teams(checked)}")
        return _user(stored)

    def disable_user(self, name: str) -> User:
        """Stop a user logging in; their history stays."""
        with self._change() as tx:
            stored = tx.disable_user(name)
            self._audit(tx, "disable", "user", stored.name)
        return _user(stored)

    def set_user_teams(self, name: str, teams: Sequence[str]) -> User:
        """Replace a user's teams."""
        checked = self._teams(teams)
        with self._change() as tx:
            current = tx.user_named(name)
            if current.role in ("officer", "champion") and not checked:
                raise InvalidInput(f"An {current.role} needs at least one team: give --team TEAM.")
            stored = tx.set_teams(name, checked)
            self._audit(tx, "teams", "user", stored.name, f"teams: {_teams(checked)}")
        return _user(stored)

    def refresh_grants(self) -> int:
        """On PostgreSQL, give the product's group roles their grants again, for tables
        an upgrade added; returns how many group roles there are."""
        with self._change() as tx:
            return tx.refresh_grants()

    def _teams(self, teams: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted({self.config.team(t).id for t in teams}))

    # -- the audit chain -------------------------------------------------------------
    def verify_audit(self) -> Verdict:
        """Walk this database's audit chain; the verdict names the first problem."""
        with self._store.reading() as tx:
            return tx.verify_audit()

    def verify_imported_audit(self) -> list[tuple[str, Verdict | None]]:
        """Each restored backup's history checked as its own chain, as recorded."""
        with self._store.reading() as tx:
            return tx.verify_imported_audit()

    def redact_audit(self, event_ids: Iterable[int], reason: str) -> int:
        """Clear the record and detail of audit events (an erasure), keeping the chain.

        A ``redact`` event is written first, saying how many events it clears and why;
        each cleared event points at it. ``audit verify`` still passes. Returns the count.
        """
        ids = sorted({int(i) for i in event_ids})
        if not ids:
            raise InvalidInput("Name at least one audit event to redact.")
        reason = reason.strip()
        if not reason or control_character(reason) is not None:
            raise InvalidInput("Give the reason for the redaction on one line.")
        with self._change() as tx:
            live = tx.live_audit_ids(ids)
            if live != ids:
                missing = ", ".join(str(i) for i in ids if i not in live)
                raise InvalidInput(f"Audit events {missing} do not exist or are already redacted.")
            by = self._audit(
                tx,
                "redact",
                "audit_event",
                "*",
                f"{len(ids)} {'event' if len(ids) == 1 else 'events'}: {reason}",
            )
            changed = tx.redact_audit_events(ids, by)
            if changed != len(ids):
                raise InvalidInput(
                    "The redaction could not clear every event; nothing was changed."
                )
        return len(ids)

    def record_read(self, record_type: str, record_id: object, what: str) -> None:
        """Audit a read of personal data (a young person shown, a worksheet with their
        details printed, a subject access copy): action ``read``, ``what`` as detail."""
        self._audit_alone("read", record_type, record_id, what)


def _teams(teams: Sequence[str]) -> str:
    return ", ".join(teams) if teams else "none (the whole service)"


def _user(stored: StoredUser) -> User:
    return User(stored.name, stored.role_name, stored.role, stored.teams, stored.disabled)
