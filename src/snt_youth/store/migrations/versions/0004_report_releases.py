"""Released quarterly figures: one row per release of a report pack.

Only a new table and its index; no existing table or row is touched.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_releases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("quarter", sa.String(16), nullable=False),
        sa.Column("calendar", sa.Boolean, nullable=False),
        sa.Column("report_date", sa.Date, nullable=False),
        sa.Column("released_at", sa.DateTime, nullable=False),
        sa.Column("released_by", sa.String(80), nullable=False),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("proof", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_report_releases_quarter", "report_releases", ["quarter", "calendar", "report_date"]
    )


def downgrade() -> None:
    op.drop_index("ix_report_releases_quarter", table_name="report_releases")
    op.drop_table("report_releases")
