"""Indexes for the quarterly report: the cohort, offers by date, sessions by offer/person.

Only indexes change; no table or row is touched. Each new index starts with the
columns of the index it replaces, so every lookup the old one served still works.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (old index, new index, table, new columns); the old columns are a prefix of the new.
REPLACED = (
    (
        ("ix_screenings_status_date", ["status", "screened_on"]),
        (
            "ix_screenings_cohort",
            ["status", "screened_on", "young_person_id", "stage", "need_identified"],
        ),
        "screenings",
    ),
    (
        ("ix_offers_person", ["young_person_id"]),
        ("ix_offers_person_date", ["young_person_id", "offered_on"]),
        "support_offers",
    ),
    (
        ("ix_sessions_offer", ["offer_id"]),
        ("ix_sessions_offer_held", ["offer_id", "held_on"]),
        "sessions",
    ),
    (
        ("ix_sessions_person", ["young_person_id"]),
        (
            "ix_sessions_person_protective",
            ["young_person_id", "protective_adult_identified", "held_on"],
        ),
        "sessions",
    ),
)
ADDED = (
    (
        "ix_offers_accepted",
        "support_offers",
        ["response", "young_person_id", "offered_on", "started_on", "ended_on", "stage", "kind"],
    ),
)


def upgrade() -> None:
    for (old, _old_columns), (new, new_columns), table in REPLACED:
        op.create_index(new, table, new_columns)
        op.drop_index(old, table_name=table)
    for name, table, columns in ADDED:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in ADDED:
        op.drop_index(name, table_name=table)
    for (old, old_columns), (new, _new_columns), table in REPLACED:
        op.create_index(old, table, old_columns)
        op.drop_index(new, table_name=table)
