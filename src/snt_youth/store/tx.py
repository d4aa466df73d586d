"""Reads and writes inside one transaction, turning rows into records and back.

:class:`Tx` gathers one family of operations per module (people, screenings, support,
direct work, audit, whole database), all on the same connection.
"""

from __future__ import annotations

from snt_youth.store.audit import AuditTx
from snt_youth.store.direct_work import SessionTx
from snt_youth.store.people import PeopleTx
from snt_youth.store.rectification import RectificationTx
from snt_youth.store.releases import ReleaseTx
from snt_youth.store.research import ResearchTx
from snt_youth.store.retention import RetentionTx
from snt_youth.store.screenings import ScreeningTx
from snt_youth.store.subject_access import SubjectAccessTx
from snt_youth.store.support import OfferTx
from snt_youth.store.whole import WholeDatabaseTx


class Tx(
    PeopleTx,
    ScreeningTx,
    OfferTx,
    SessionTx,
    AuditTx,
    WholeDatabaseTx,
    ReleaseTx,
    RetentionTx,
    RectificationTx,
    SubjectAccessTx,
    ResearchTx,
):
    """Record-level operations on one connection (inside one transaction)."""


__all__ = ["Tx"]
