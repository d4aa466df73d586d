"""Storage: the only package that talks SQL.

:class:`Store` owns an engine; :meth:`Store.transaction` yields a :class:`Tx` whose
methods read and write records. Every write the Casebook makes happens inside one
transaction together with its audit event, so an interrupted process leaves the
database consistent.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from snt_youth.store.engine import (
    WRITING,
    Cipher,
    KeyChoice,
    cipher_of,
    describe_url,
    ensure_schema,
    make_engine,
    translate_errors,
)
from snt_youth.store.tx import Tx


class Store:
    """A database at a URL, checked to be at the schema this version understands."""

    def __init__(self, url: str, *, create: bool = True, keys: KeyChoice | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, keys)
        #: How a SQLite file is protected (None for a server or in-memory database).
        self.cipher: Cipher | None = cipher_of(self.engine)
        with translate_errors(url):
            self.revision = ensure_schema(self.engine, url, create=create)
        # The transaction of an all-or-nothing batch, when one is open (in this thread).
        self._batch: contextvars.ContextVar[Tx | None] = contextvars.ContextVar(
            f"snt_youth_batch_{id(self)}", default=None
        )

    @property
    def description(self) -> str:
        return describe_url(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One write transaction: committed on success, rolled back on any error.

        On SQLite it begins IMMEDIATE: no other writer can come between what it reads
        and what it writes. On PostgreSQL the Tx methods lock the rows they change.
        Inside :meth:`all_or_nothing` it is a savepoint of the batch's transaction.
        """
        batch = self._batch.get()
        if batch is not None:
            with translate_errors(self.url), batch.conn.begin_nested():
                yield batch
            return
        with (
            translate_errors(self.url),
            self.engine.connect() as conn,
            conn.execution_options(**{WRITING: True}).begin(),
        ):
            yield Tx(conn)

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        """A read-only unit of work (no commit needed); inside a batch, the batch's own."""
        batch = self._batch.get()
        if batch is not None:
            yield batch
            return
        with translate_errors(self.url), self.engine.connect() as conn:
            yield Tx(conn)

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """One transaction around many use cases: all of them are kept, or none.

        Every :meth:`transaction` and :meth:`reading` inside (in this thread) uses it;
        each use case is a savepoint, so one that fails leaves the others.
        """
        if self._batch.get() is not None:
            yield  # already inside a batch
            return
        with (
            translate_errors(self.url),
            self.engine.connect() as conn,
            conn.execution_options(**{WRITING: True}).begin(),
        ):
            token = self._batch.set(Tx(conn))
            try:
                yield
            finally:
                self._batch.reset(token)

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["KeyChoice", "Store", "Tx"]
