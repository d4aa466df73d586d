"""The database schema (SQLAlchemy Core), as it stands at the newest migration.

Outcome fields are plain columns so quarterly figures are computed in SQL. Young
people are known by the service's case reference and, at most, a first name or
initials; nothing here holds a full name or address.

Changes to this file need a matching Alembic migration in ``store/migrations``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    literal_column,
)

from snt_youth import model

metadata = MetaData()

#: Every column that holds a code, with the list it must come from. The schema's CHECK
#: constraints and migration 0003 are both built from this, so they never disagree.
CODED_COLUMNS: dict[str, tuple[tuple[str, type[StrEnum]], ...]] = {
    "young_people": (
        ("gender", model.Gender),
        ("ethnicity", model.Ethnicity),
        ("language", model.Language),
    ),
    "screenings": (
        ("stage", model.Stage),
        ("status", model.ScreeningStatus),
        ("home", model.HomeAbuse),
        ("relationship", model.Relationship),
        ("own_behaviour", model.OwnBehaviour),
        ("safety", model.SafetyNow),
    ),
    "support_offers": (
        ("stage", model.Stage),
        ("kind", model.SupportKind),
        ("response", model.OfferResponse),
        ("end_reason", model.EndReason),
    ),
}

#: The tables whose rows change after they are written; each carries a ``version``.
VERSIONED_TABLES = ("young_people", "screenings", "support_offers", "sessions", "case_notes")


def code_check_sql(column: str, codes: type[StrEnum]) -> str:
    """The CHECK expression that keeps ``column`` to the values of ``codes`` (or NULL)."""
    quoted = ", ".join("'" + member.value.replace("'", "''") + "'" for member in codes)
    return f"{column} IS NULL OR {column} IN ({quoted})"


def code_checks(table: str) -> list[CheckConstraint]:
    """The CHECK constraints of ``table``'s coded columns, named ``ck_<table>_<column>``."""
    return [
        CheckConstraint(code_check_sql(column, codes), name=f"ck_{table}_{column}")
        for column, codes in CODED_COLUMNS.get(table, ())
    ]


def case_key_sql(column: str) -> str:
    """The SQL that turns a case reference into its key (the same rule as ``case_key``)."""
    return f"lower(trim({column}))"


def case_key(case_ref: str) -> str:
    """The key a case reference is matched by: no surrounding spaces, any case."""
    return case_ref.strip().lower()


def _case_key_default(context: Any) -> str:
    # Filled from the row's own case_ref when an insert does not give it.
    return case_key(str(context.get_current_parameters()["case_ref"]))


def _chain_columns() -> list[Column[Any]]:
    # The audit hash chain (``store/chain.py``); NULL only in events stored before it.
    return [
        Column("content_hash", String(64)),
        Column("prev_hash", String(64)),
        Column("hash", String(64)),
        Column("redacted_by", Integer),
    ]


def _version() -> Column[int]:
    # Raised by one on every write; a write names the version it read (optimistic locking).
    return Column("version", Integer, nullable=False, default=1, server_default="1")


DRAFT_ONLY = literal_column("status") == model.ScreeningStatus.DRAFT.value

young_people = Table(
    "young_people",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_ref", String(64), nullable=False, unique=True),
    # case_key(case_ref): one young person per reference, whatever its case or spaces.
    Column("case_key", String(64), nullable=False, default=_case_key_default),
    Column("known_as", String(40)),
    Column("date_of_birth", Date, nullable=False),
    Column("gender", String(32), nullable=False),
    Column("ethnicity", String(64), nullable=False),
    Column("team", String(64), nullable=False, index=True),
    Column("language", String(8), nullable=False),
    Column("officer", String(80)),
    Column("created_at", DateTime, nullable=False),
    _version(),
    Index("ix_young_people_case_key", "case_key", unique=True),
    *code_checks("young_people"),
)

screenings = Table(
    "screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("young_person_id", Integer, ForeignKey("young_people.id"), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("screened_on", Date, nullable=False),
    Column("officer", String(80), nullable=False),
    Column("instrument_id", String(64), nullable=False),
    Column("instrument_version", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    # Outcome columns, set on completion.
    Column("home", String(32)),
    Column("relationship", String(32)),
    Column("own_behaviour", String(40)),
    Column("safety", String(16)),
    Column("need_identified", Boolean),
    Column("judgements", Text, nullable=False, default="[]"),  # JSON list
    Column("safety_action", Text),
    Column("completed_at", DateTime),
    _version(),
    Index("ix_screenings_person", "young_person_id"),
    # At most one draft per young person and stage (migration 0003).
    Index(
        "ix_screenings_one_draft",
        "young_person_id",
        "stage",
        unique=True,
        sqlite_where=DRAFT_ONLY,
        postgresql_where=DRAFT_ONLY,
    ),
    *code_checks("screenings"),
    # Covers the quarterly cohort (migration 0002).
    Index(
        "ix_screenings_cohort",
        "status",
        "screened_on",
        "young_person_id",
        "stage",
        "need_identified",
    ),
)

screening_answers = Table(
    "screening_answers",
    metadata,
    Column(
        "screening_id",
        Integer,
        ForeignKey("screenings.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("item_id", String(64), primary_key=True),
    Column("response", String(64), nullable=False),
    Column("answered_at", DateTime, nullable=False),
)

support_offers = Table(
    "support_offers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("young_person_id", Integer, ForeignKey("young_people.id"), nullable=False),
    Column("screening_id", Integer, ForeignKey("screenings.id")),
    Column("stage", String(16), nullable=False),
    Column("offered_on", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("service", String(64), nullable=False),
    Column("response", String(32), nullable=False),
    Column("started_on", Date),
    Column("ended_on", Date),
    Column("end_reason", String(32)),
    Column("contacts", Integer, nullable=False, default=0),
    _version(),
    CheckConstraint("contacts >= 0", name="ck_support_offers_contacts"),
    *code_checks("support_offers"),
    Index("ix_offers_person_date", "young_person_id", "offered_on"),
    Index("ix_offers_screening", "screening_id"),
    # Covers "support active" (migration 0002).
    Index(
        "ix_offers_accepted",
        "response",
        "young_person_id",
        "offered_on",
        "started_on",
        "ended_on",
        "stage",
        "kind",
    ),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("young_person_id", Integer, ForeignKey("young_people.id"), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("facilitator", String(80), nullable=False),
    Column("matrix_id", String(64), nullable=False),
    Column("matrix_version", String(32), nullable=False),
    Column("reflection", Text, nullable=False, default=""),
    Column("next_steps", Text, nullable=False, default=""),
    Column("protective_adult_identified", Boolean, nullable=False),
    Column("confirmed_by_facilitator", Boolean, nullable=False, default=False),
    Column("offer_id", Integer, ForeignKey("support_offers.id")),
    _version(),
    Index(
        "ix_sessions_person_protective", "young_person_id", "protective_adult_identified", "held_on"
    ),
    Index("ix_sessions_offer_held", "offer_id", "held_on"),
)

session_entries = Table(
    "session_entries",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("person", String(80), nullable=False),
    Column("domain", String(64), nullable=False),
    Column("words", Text, nullable=False, default=""),
)

case_notes = Table(
    "case_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("young_person_id", Integer, ForeignKey("young_people.id"), nullable=False),
    Column("written_on", Date, nullable=False),
    Column("author", String(80), nullable=False),
    Column("text", Text, nullable=False),
    _version(),
    Index("ix_notes_person", "young_person_id"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("user_name", String(80), nullable=False),
    Column("action", String(64), nullable=False),
    Column("record_type", String(32), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    *_chain_columns(),
    # Who last changed a record, for the conflict message (migration 0003).
    Index("ix_audit_record", "record_type", "record_id"),
)

# The newest link of the audit chain (one row, id 1): locked by every audit write, so
# two writers never fork the chain, and read by ``audit verify`` to see events removed
# from the end (migration 0005).
audit_chain = Table(
    "audit_chain",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_id", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

# The audit history that came inside a restored backup: kept as it was written
# elsewhere, and never mixed with the events of this database (migration 0003).
imported_audit_events = Table(
    "imported_audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("original_id", Integer, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("user_name", String(80), nullable=False),
    Column("action", String(64), nullable=False),
    Column("record_type", String(32), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("imported_at", DateTime, nullable=False),
    Column("imported_from", Text, nullable=False),
    # The chain as the other database recorded it, checked as it was (migration 0005).
    *_chain_columns(),
)

#: The roles a named user can have (migration 0005).
ACCESS_ROLES = ("officer", "champion", "manager", "admin")

# Named users and their teams; on PostgreSQL the row-level security policies read
# these, keyed on the login role (``role_name``) of the session (migration 0005).
access_users = Table(
    "access_users",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("role_name", String(63), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    CheckConstraint(
        "role IN (" + ", ".join(f"'{r}'" for r in ACCESS_ROLES) + ")", name="ck_access_users_role"
    ),
)

access_teams = Table(
    "access_teams",
    metadata,
    Column(
        "user_name",
        String(40),
        ForeignKey("access_users.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("team", String(64), primary_key=True),
)

# The key of each research extract: which pseudonym and date shift stand for which
# young person (migration 0005). Kept only here, never in an extract, and not part of
# a backup (it is about what left the service, like the report releases).
research_keys = Table(
    "research_keys",
    metadata,
    Column("extract", String(40), primary_key=True),
    # No foreign key: erasing a young person must not be blocked by an old extract's key.
    Column("young_person_id", Integer, primary_key=True),
    Column("pseudonym", String(40), nullable=False),
    Column("shift_days", Integer, nullable=False),
    Column("made_at", DateTime, nullable=False),
    Index("ix_research_keys_pseudonym", "extract", "pseudonym", unique=True),
)

# Referenced by tests so a forgotten table in a migration is caught.
ALL_TABLES = (
    young_people,
    screenings,
    screening_answers,
    support_offers,
    sessions,
    session_entries,
    case_notes,
    audit_events,
    imported_audit_events,
)

#: Tables of the access and chain machinery: not part of a backup (migration 0005).
ACCESS_TABLES = (audit_chain, access_users, access_teams)
