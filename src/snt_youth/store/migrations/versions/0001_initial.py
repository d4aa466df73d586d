"""The first schema: young people, screenings, support, sessions, notes, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "young_people",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_ref", sa.String(64), nullable=False, unique=True),
        sa.Column("known_as", sa.String(40)),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("gender", sa.String(32), nullable=False),
        sa.Column("ethnicity", sa.String(64), nullable=False),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("officer", sa.String(80)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_young_people_team", "young_people", ["team"])
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("young_person_id", sa.Integer, sa.ForeignKey("young_people.id"), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("screened_on", sa.Date, nullable=False),
        sa.Column("officer", sa.String(80), nullable=False),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("instrument_version", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("home", sa.String(32)),
        sa.Column("relationship", sa.String(32)),
        sa.Column("own_behaviour", sa.String(40)),
        sa.Column("safety", sa.String(16)),
        sa.Column("need_identified", sa.Boolean),
        sa.Column("judgements", sa.Text, nullable=False),
        sa.Column("safety_action", sa.Text),
        sa.Column("completed_at", sa.DateTime),
    )
    op.create_index("ix_screenings_person", "screenings", ["young_person_id"])
    op.create_index("ix_screenings_status_date", "screenings", ["status", "screened_on"])
    op.create_table(
        "screening_answers",
        sa.Column(
            "screening_id",
            sa.Integer,
            sa.ForeignKey("screenings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("response", sa.String(64), nullable=False),
        sa.Column("answered_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "support_offers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("young_person_id", sa.Integer, sa.ForeignKey("young_people.id"), nullable=False),
        sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id")),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("offered_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("response", sa.String(32), nullable=False),
        sa.Column("started_on", sa.Date),
        sa.Column("ended_on", sa.Date),
        sa.Column("end_reason", sa.String(32)),
        sa.Column("contacts", sa.Integer, nullable=False),
    )
    op.create_index("ix_offers_person", "support_offers", ["young_person_id"])
    op.create_index("ix_offers_screening", "support_offers", ["screening_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("young_person_id", sa.Integer, sa.ForeignKey("young_people.id"), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("facilitator", sa.String(80), nullable=False),
        sa.Column("matrix_id", sa.String(64), nullable=False),
        sa.Column("matrix_version", sa.String(32), nullable=False),
        sa.Column("reflection", sa.Text, nullable=False),
        sa.Column("next_steps", sa.Text, nullable=False),
        sa.Column("protective_adult_identified", sa.Boolean, nullable=False),
        sa.Column("confirmed_by_facilitator", sa.Boolean, nullable=False),
        sa.Column("offer_id", sa.Integer, sa.ForeignKey("support_offers.id")),
    )
    op.create_index("ix_sessions_person", "sessions", ["young_person_id"])
    op.create_index("ix_sessions_offer", "sessions", ["offer_id"])
    op.create_table(
        "session_entries",
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("person", sa.String(80), nullable=False),
        sa.Column("domain", sa.String(64), nullable=False),
        sa.Column("words", sa.Text, nullable=False),
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("young_person_id", sa.Integer, sa.ForeignKey("young_people.id"), nullable=False),
        sa.Column("written_on", sa.Date, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_notes_person", "case_notes", ["young_person_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user_name", sa.String(80), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("record_type", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])


def downgrade() -> None:
    for table in (
        "audit_events",
        "case_notes",
        "session_entries",
        "sessions",
        "support_offers",
        "screening_answers",
        "screenings",
        "young_people",
    ):
        op.drop_table(table)
