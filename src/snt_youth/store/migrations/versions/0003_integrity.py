"""Records that stay true: versions, one draft, one reference, codes from their lists.

- ``version`` on every record that changes (young people, screenings, support offers,
  sessions, case notes), starting at 1;
- ``young_people.case_key``: the case reference without surrounding spaces, in lower
  case, with a unique index, so ``yj-3001`` and ``YJ-3001`` are one young person;
- ``ix_screenings_one_draft``: at most one draft per young person and stage;
- CHECK constraints keeping every coded column to its list (built from the model's
  enums, the same lists the schema module uses), and contacts never below zero;
- ``ix_audit_record``, to find who last changed a record;
- ``imported_audit_events``: the audit history that came inside a restored backup.

Rows already stored that break a new rule (two references that differ only in case
or spaces, two drafts for one stage, a code outside its list) are never changed or
dropped here: the upgrade is refused with a sentence naming them, and the database is
left at its old revision. Put the rows right with the older snt-youth, then upgrade.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from snt_youth.errors import StorageError
from snt_youth.store.schema import (
    CODED_COLUMNS,
    VERSIONED_TABLES,
    case_key,
    case_key_sql,
    code_check_sql,
)

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SHOWN = 5  # rows named in a refusal; the count says how many more


def _refuse(problem: str, rows: list[str], fix: str) -> None:
    more = f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    raise StorageError(
        f"The upgrade to schema {revision} was not made, because {problem}: "
        f"{'; '.join(rows[:_SHOWN])}{more}. {fix} Nothing was changed."
    )


def _check_existing_rows(conn: sa.Connection) -> None:
    """Refuse the upgrade, naming the rows, if stored data breaks a new rule."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for (ref,) in conn.execute(sa.text("SELECT case_ref FROM young_people ORDER BY id")):
        by_key[case_key(ref)].append(repr(ref))
    same = [" and ".join(refs) for refs in by_key.values() if len(refs) > 1]
    if same:
        _refuse(
            "some case references differ only in capitals or spaces",
            same,
            "Each young person needs one reference: with the older snt-youth, export, "
            "correct the references, and import into a new database.",
        )
    drafts = conn.execute(
        sa.text(
            "SELECT p.case_ref, s.stage, s.id FROM screenings s "
            "JOIN young_people p ON p.id = s.young_person_id WHERE s.status = 'draft' "
            "ORDER BY p.case_ref, s.stage, s.id"
        )
    ).all()
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ref, stage, sid in drafts:
        grouped[(ref, stage)].append(str(sid))
    doubles = [
        f"{ref} {stage} (ids {', '.join(ids)})"
        for (ref, stage), ids in grouped.items()
        if len(ids) > 1
    ]
    if doubles:
        _refuse(
            "some young people have two screenings in progress for one stage",
            doubles,
            "Complete all but one of each with the older snt-youth ('screening resume').",
        )
    bad: list[str] = []
    for table, columns in CODED_COLUMNS.items():
        for column, codes in columns:
            outside = f"NOT ({code_check_sql(column, codes)})"
            query = f"SELECT id, {column} FROM {table} WHERE {outside} ORDER BY id"
            for row in conn.execute(sa.text(query)):
                bad.append(f"{table} row {row[0]} has {column} {row[1]!r}")
    for (row_id,) in conn.execute(sa.text("SELECT id FROM support_offers WHERE contacts < 0")):
        bad.append(f"support_offers row {row_id} has fewer than no contacts")
    if bad:
        _refuse(
            "some stored values are not in their code lists",
            bad,
            "Correct them with the older snt-youth, or restore a good backup.",
        )


def upgrade() -> None:
    conn = op.get_bind()
    _check_existing_rows(conn)
    op.add_column("young_people", sa.Column("case_key", sa.String(64), nullable=True))
    conn.execute(sa.text(f"UPDATE young_people SET case_key = {case_key_sql('case_ref')}"))
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
            if table == "young_people":
                batch.alter_column("case_key", existing_type=sa.String(64), nullable=False)
            for column, codes in CODED_COLUMNS.get(table, ()):
                batch.create_check_constraint(f"ck_{table}_{column}", code_check_sql(column, codes))
            if table == "support_offers":
                batch.create_check_constraint("ck_support_offers_contacts", "contacts >= 0")
    op.create_index("ix_young_people_case_key", "young_people", ["case_key"], unique=True)
    draft_only = sa.text("status = 'draft'")
    op.create_index(
        "ix_screenings_one_draft",
        "screenings",
        ["young_person_id", "stage"],
        unique=True,
        sqlite_where=draft_only,
        postgresql_where=draft_only,
    )
    op.create_index("ix_audit_record", "audit_events", ["record_type", "record_id"])
    op.create_table(
        "imported_audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("original_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user_name", sa.String(80), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("record_type", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("imported_from", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("imported_audit_events")
    op.drop_index("ix_audit_record", table_name="audit_events")
    op.drop_index("ix_screenings_one_draft", table_name="screenings")
    op.drop_index("ix_young_people_case_key", table_name="young_people")
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table) as batch:
            if table == "support_offers":
                batch.drop_constraint("ck_support_offers_contacts", type_="check")
            for column, _codes in CODED_COLUMNS.get(table, ()):
                batch.drop_constraint(f"ck_{table}_{column}", type_="check")
            batch.drop_column("version")
            if table == "young_people":
                batch.drop_column("case_key")
