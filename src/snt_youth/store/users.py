"""Named users, their role and their teams, and on PostgreSQL their login roles.

On PostgreSQL every user is a login role, a member of the product's group role for
their role (``<namespace>_g_officer`` and so on); the group roles hold the grants.
The namespace comes from the database name, and the schema when it is not
``public``, so two services (or two test schemas) on one server never share a role.
On SQLite users are rows only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import attrs
from sqlalchemy import ColumnElement, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from snt_youth.errors import InvalidInput, NotFound
from snt_youth.store import access_sql
from snt_youth.store.base import TxBase
from snt_youth.store.schema import ACCESS_ROLES, access_teams, access_users

#: A user name: a lower-case letter, then lower-case letters, digits, dots or hyphens.
USER_NAME = re.compile(r"^[a-z][a-z0-9.\-]{0,29}$")
_NAMESPACE_MAX = 30


@attrs.frozen
class StoredUser:
    name: str
    role_name: str
    role: str
    disabled: bool
    teams: tuple[str, ...]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class AccessTx(TxBase):
    """Users and their teams."""

    @property
    def on_postgres(self) -> bool:
        return self.conn.dialect.name == "postgresql"

    def namespace(self) -> str:
        """The prefix of this database's roles (PostgreSQL), e.g. ``yj`` or ``test_t_1a2b``."""
        db, schema = self.conn.execute(text("SELECT current_database(), current_schema()")).one()
        raw = str(db) if schema == "public" else f"{db}_{schema}"
        cleaned = re.sub(r"[^a-z0-9_]", "_", raw.lower())[:_NAMESPACE_MAX]
        return cleaned

    def session_login(self) -> str | None:
        """The login role of this session on PostgreSQL (None on SQLite)."""
        if not self.on_postgres:
            return None
        return str(self.conn.execute(text("SELECT session_user")).scalar_one())

    def is_superuser(self) -> bool:
        if not self.on_postgres:
            return False
        found = self.conn.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
        ).scalar()
        return bool(found)

    def _user(self, where: ColumnElement[bool]) -> StoredUser | None:
        row = self.conn.execute(select(access_users).where(where)).first()
        if row is None:
            return None
        teams = self.conn.execute(
            select(access_teams.c.team)
            .where(access_teams.c.user_name == row.name)
            .order_by(access_teams.c.team)
        ).scalars()
        return StoredUser(row.name, row.role_name, row.role, bool(row.disabled), tuple(teams))

    def user_by_login(self, login: str) -> StoredUser | None:
        return self._user(access_users.c.role_name == login)

    def user_named(self, name: str) -> StoredUser:
        found = self._user(access_users.c.name == name)
        if found is None:
            raise NotFound(f"There is no user {name!r}. See them with 'snt-youth admin user list'.")
        return found

    def user_or_none(self, name: str) -> StoredUser | None:
        return self._user(access_users.c.name == name)

    def owns_schema(self) -> bool:
        """True when the session's login owns the schema's tables (PostgreSQL)."""
        if not self.on_postgres:
            return False
        found = self.conn.execute(
            text(
                "SELECT tableowner = session_user FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename = 'young_people'"
            )
        ).scalar()
        return bool(found)

    def has_users(self) -> bool:
        return self.conn.execute(select(access_users.c.name).limit(1)).first() is not None

    def users(self) -> list[StoredUser]:
        names = self.conn.execute(select(access_users.c.name).order_by(access_users.c.name))
        return [self.user_named(n) for n in names.scalars()]

    # -- changes --------------------------------------------------------------------
    def add_user(self, name: str, role: str, teams: Iterable[str], at: dt.datetime) -> StoredUser:
        if not USER_NAME.match(name):
            raise InvalidInput(
                f"User name {name!r} is not usable: start with a lower-case letter, then "
                "lower-case letters, digits, dots or hyphens (up to 30)."
            )
        if role not in ACCESS_ROLES:
            raise InvalidInput(f"Role {role!r} is not one of {', '.join(ACCESS_ROLES)}.")
        login = name
        if self.on_postgres:
            namespace = self.namespace()
            login = f"{namespace}_{name}"
            self._privileged(lambda: self._create_login(namespace, login, role))
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(access_users).values(
                        name=name, role_name=login, role=role, disabled=False, created_at=at
                    )
                )
        except IntegrityError:
            raise InvalidInput(f"There is already a user {name!r}.") from None
        self.set_teams(name, teams)
        return self.user_named(name)

    def _privileged(self, action: object) -> None:
        try:
            with self.conn.begin_nested():
                action()  # type: ignore[operator]
        except DBAPIError as exc:
            text_ = str(exc.orig).lower()
            if "permission" in text_ or "privilege" in text_ or "must be" in text_:
                raise InvalidInput(
                    "Only the schema owner (a role that may create roles) can manage users; "
                    "connect as the owner and try again."
                ) from None
            if "already exists" in text_:
                raise InvalidInput(
                    "A database role of that name already exists; choose another user name."
                ) from None
            raise

    def refresh_grants(self) -> int:
        """Give the group roles their grants again (after an upgrade added tables).
        Returns how many group roles there are (none on SQLite, or before any user)."""
        if not self.on_postgres:
            return 0
        namespace = self.namespace()
        groups = [
            role
            for role in ACCESS_ROLES
            if self.conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                {"r": access_sql.group_role(namespace, role)},
            ).first()
        ]
        if groups:
            self._privileged(lambda: self._grant(namespace, groups))
        return len(groups)

    def _grant(self, namespace: str, roles: Iterable[str]) -> None:
        schema = str(self.conn.execute(text("SELECT current_schema()")).scalar_one())
        for each in roles:
            group = access_sql.group_role(namespace, each)
            for statement in access_sql.grants(schema, group, each):
                self.conn.execute(text(statement))

    def _create_login(self, namespace: str, login: str, role: str) -> None:
        schema = str(self.conn.execute(text("SELECT current_schema()")).scalar_one())
        for each in ACCESS_ROLES:
            group = access_sql.group_role(namespace, each)
            exists = self.conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}
            ).first()
            if exists is None:
                self.conn.execute(text(f"CREATE ROLE {_q(group)} NOLOGIN"))
            for statement in access_sql.grants(schema, group, each):
                self.conn.execute(text(statement))
        group = access_sql.group_role(namespace, role)
        self.conn.execute(text(f"CREATE ROLE {_q(login)} LOGIN IN ROLE {_q(group)}"))

    def disable_user(self, name: str) -> StoredUser:
        user = self.user_named(name)
        if self.on_postgres:
            self._privileged(
                lambda: self.conn.execute(text(f"ALTER ROLE {_q(user.role_name)} NOLOGIN"))
            )
        self.conn.execute(
            update(access_users).where(access_users.c.name == name).values(disabled=True)
        )
        return self.user_named(name)

    def set_teams(self, name: str, teams: Iterable[str]) -> StoredUser:
        self.user_named(name)
        self.conn.execute(delete(access_teams).where(access_teams.c.user_name == name))
        for team in sorted(set(teams)):
            self.conn.execute(insert(access_teams).values(user_name=name, team=team))
        return self.user_named(name)
