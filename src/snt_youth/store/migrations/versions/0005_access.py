"""Who may see what, and an audit trail that shows any change to itself.

- ``audit_events`` and ``imported_audit_events`` gain the hash chain columns
  (``content_hash``, ``prev_hash``, ``hash``, ``redacted_by``); the events already
  stored are chained here, oldest first, and ``audit_chain`` records the newest link;
- ``access_users`` and ``access_teams``: named users, their role and their teams;
- on PostgreSQL only: row-level security (ENABLE and FORCE) on every table that holds
  a young person's data, with policies keyed on ``session_user``; a trigger that
  writes ``session_user`` as the audit user of a named user; a trigger that lets
  only a manager or an admin move a young person to another team; and the one
  function that may redact audit events.

Imported events keep whatever chain their own database gave them (none, for a backup
made before this schema).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from snt_youth.store import access_sql
from snt_youth.store.chain import GENESIS, content_digest, link_digest

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CHAIN = ("content_hash", "prev_hash", "hash")


def _chain_existing(conn: sa.Connection) -> tuple[int, str]:
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("user_name", sa.String),
        sa.column("action", sa.String),
        sa.column("record_type", sa.String),
        sa.column("record_id", sa.String),
        sa.column("detail", sa.Text),
        sa.column("content_hash", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    previous, last_id = GENESIS, 0
    rows = conn.execute(sa.select(events).order_by(events.c.id)).all()
    for r in rows:
        content = content_digest(
            r.id, r.at, r.user_name, r.action, r.record_type, r.record_id, r.detail
        )
        link = link_digest(r.id, content, previous)
        conn.execute(
            sa.update(events)
            .where(events.c.id == r.id)
            .values(content_hash=content, prev_hash=previous, hash=link)
        )
        previous, last_id = link, r.id
    return last_id, previous


def upgrade() -> None:
    conn = op.get_bind()
    for table in ("audit_events", "imported_audit_events"):
        for name in _CHAIN:
            op.add_column(table, sa.Column(name, sa.String(64), nullable=True))
        op.add_column(table, sa.Column("redacted_by", sa.Integer, nullable=True))
    chain = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_id", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    last_id, last_hash = _chain_existing(conn)
    op.bulk_insert(chain, [{"id": 1, "last_id": last_id, "last_hash": last_hash}])
    op.create_table(
        "access_users",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("role_name", sa.String(63), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint(
            "role IN ('officer', 'champion', 'manager', 'admin')", name="ck_access_users_role"
        ),
    )
    op.create_table(
        "access_teams",
        sa.Column(
            "user_name",
            sa.String(40),
            sa.ForeignKey("access_users.name", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("team", sa.String(64), primary_key=True),
    )
    if conn.dialect.name == "postgresql":
        schema = str(conn.execute(sa.text("SELECT current_schema()")).scalar())
        for statement in access_sql.install(schema):
            conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        schema = str(conn.execute(sa.text("SELECT current_schema()")).scalar())
        for statement in access_sql.uninstall(schema):
            conn.execute(sa.text(statement))
    op.drop_table("access_teams")
    op.drop_table("access_users")
    op.drop_table("audit_chain")
    for table in ("audit_events", "imported_audit_events"):
        with op.batch_alter_table(table) as batch:
            for name in (*_CHAIN, "redacted_by"):
                batch.drop_column(name)
