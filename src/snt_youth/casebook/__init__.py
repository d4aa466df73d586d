"""The Casebook: the application service every face drives.

One method per use case, one transaction per method, and an audit event written in
the same transaction as every change. Faces (CLI, TUI, printing) hold no domain
rule: if a face needs to compute something, it asks the Casebook.

The use cases live in one module per family, each a mixin over
:class:`~snt_youth.casebook.base.CasebookBase`:

- :mod:`.people`: young people, the caseload, the timeline, case notes;
- :mod:`.screening`: drafts, answers, judgement, completion, amendment;
- :mod:`.support`: support offers and their transitions;
- :mod:`.direct_work`: direct-work sessions;
- :mod:`.reports`: quarterly figures;
- :mod:`.change`: the change report;
- :mod:`.research`: the de-identified research extract;
- :mod:`.backup`: backup, restore and counts;
- :mod:`.audit`: the audit trail;
- :mod:`.access`: who you are, users and roles, the audit chain;
- :mod:`.retention`: retention review, weeding and erasure;
- :mod:`.subject_access`: a young person's copy of everything held about them.

The records they return are in :mod:`.views`; the clock is in :mod:`.clock`.
"""

from __future__ import annotations

import os

from snt_youth import config as config_module
from snt_youth import locations
from snt_youth.casebook.access import AccessCases, User, resolve_identity
from snt_youth.casebook.audit import AuditCases
from snt_youth.casebook.backup import BackupCases
from snt_youth.casebook.base import CasebookBase, E, Identity, choose, default_user
from snt_youth.casebook.change import ChangeCases
from snt_youth.casebook.clock import Clock, FixedClock, SystemClock, now, today
from snt_youth.casebook.direct_work import DirectWorkCases
from snt_youth.casebook.encryption import Encryption, EncryptionCases
from snt_youth.casebook.people import (
    CASE_REF,
    KNOWN_AS,
    MAX_AGE,
    MIN_AGE,
    PeopleCases,
    _summary,
)
from snt_youth.casebook.reports import ReportCases
from snt_youth.casebook.research import ResearchCases
from snt_youth.casebook.retention import RetentionCases
from snt_youth.casebook.screening import ScreeningCases, _outcome_detail
from snt_youth.casebook.subject_access import SubjectAccessCases
from snt_youth.casebook.support import SupportCases
from snt_youth.casebook.views import (
    Assessment,
    CaseloadRow,
    Comparison,
    Timeline,
    TimelineEvent,
)
from snt_youth.errors import InvalidInput


class Casebook(
    PeopleCases,
    ScreeningCases,
    SupportCases,
    DirectWorkCases,
    ReportCases,
    ChangeCases,
    ResearchCases,
    BackupCases,
    AuditCases,
    AccessCases,
    RetentionCases,
    SubjectAccessCases,
    EncryptionCases,
    CasebookBase,
):
    """The service's records, opened on one database, acting as one user."""

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        user: str | None = None,
        create: bool = True,
        config_path: str | None = None,
        clock: Clock | None = None,
        key_file: str | None = None,
        plain: bool = False,
    ) -> Casebook:
        """Open the database at ``url`` (default ``SNT_YOUTH_DB`` or the SQLite file).

        ``clock`` says what today is (default: the system clock). A SQLite file is
        encrypted: its key comes from ``key_file``, ``SNT_YOUTH_KEY``, or where
        snt-youth keeps it (see :mod:`snt_youth.keys`); a new file gets a new key.
        ``plain=True`` makes a new file without encryption (``init --plain``).
        """
        from snt_youth.store import KeyChoice, Store

        cfg = config_module.load(config_path)
        requested = user or os.environ.get(locations.USER_ENV) or None
        if requested is not None and not requested.strip():
            raise InvalidInput("The user name cannot be empty; give --user NAME.")
        choice = KeyChoice(key_file=key_file, plain=plain)
        store = Store(url or locations.default_db_url(), create=create, keys=choice)
        try:
            identity = resolve_identity(store, requested)
        except BaseException:
            store.close()
            raise
        return cls(store, user=identity.user, config=cfg, clock=clock, identity=identity)

    def close(self) -> None:
        """Let go of the database connections."""
        self._store.close()

    def __enter__(self) -> Casebook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def database(self) -> str:
        """Where the records live (password hidden)."""
        return self._store.description

    @property
    def schema_revision(self) -> str:
        """The database schema revision (an Alembic revision id)."""
        return self._store.revision


__all__ = [
    "CASE_REF",
    "KNOWN_AS",
    "MAX_AGE",
    "MIN_AGE",
    "Assessment",
    "Casebook",
    "CaseloadRow",
    "Clock",
    "Comparison",
    "E",
    "Encryption",
    "FixedClock",
    "Identity",
    "SystemClock",
    "Timeline",
    "TimelineEvent",
    "User",
    "_outcome_detail",
    "_summary",
    "choose",
    "default_user",
    "now",
    "today",
]
