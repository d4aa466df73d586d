"""Storage: the only package that talks SQL.

:class:`Store` owns an engine; :meth:`Store.transaction` yields a :class:`Tx` whose
methods read and write records. Every write the Casebook makes happens inside one
transaction together with its audit event, so an interrupted process leaves the
database consistent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from snt_youth.store.engine import describe_url, ensure_schema, make_engine, translate_errors
from snt_youth.store.tx import Tx


class Store:
    """A database at a URL, checked to be at the schema this version understands."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        with translate_errors(url):
            self.revision = ensure_schema(self.engine, url, create=create)

    @property
    def description(self) -> str:
        return describe_url(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One transaction: committed on success, rolled back on any error."""
        with translate_errors(self.url), self.engine.begin() as conn:
            yield Tx(conn)

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        """A read-only unit of work (no commit needed)."""
        with translate_errors(self.url), self.engine.connect() as conn:
            yield Tx(conn)

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Store", "Tx"]
