"""Research extract keys: which pseudonym and date shift stand for which young person.

Only a new table and its index; no existing table or row is touched.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "research_keys",
        sa.Column("extract", sa.String(40), primary_key=True),
        sa.Column("young_person_id", sa.Integer, primary_key=True),
        sa.Column("pseudonym", sa.String(40), nullable=False),
        sa.Column("shift_days", sa.Integer, nullable=False),
        sa.Column("made_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_research_keys_pseudonym", "research_keys", ["extract", "pseudonym"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_research_keys_pseudonym", table_name="research_keys")
    op.drop_table("research_keys")
