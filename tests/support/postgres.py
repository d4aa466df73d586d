"""The PostgreSQL server the tests use, or a skip (or a failure, when it is required)."""

from __future__ import annotations

import os

import pytest

PG_ENV = "SNT_YOUTH_TEST_PG"
PG_REQUIRED_ENV = "SNT_YOUTH_TEST_PG_REQUIRED"


def _postgres_base() -> str:
    url = os.environ.get(PG_ENV)
    reason = None
    if not url:
        reason = f"PostgreSQL tests need {PG_ENV}=postgresql+psycopg://user@host/db"
    else:
        try:
            import psycopg

            plain = url.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(plain, connect_timeout=3):
                pass
        except Exception as exc:  # any failure to reach the server means "skip" here
            reason = f"PostgreSQL at {url} is not reachable ({type(exc).__name__})"
    if reason:
        if os.environ.get(PG_REQUIRED_ENV):
            pytest.fail(f"{reason}, but {PG_REQUIRED_ENV} is set", pytrace=False)
        pytest.skip(reason)
    assert url is not None
    return url
