"""Which database engines the suite runs on, and throw-away PostgreSQL databases.

SQLite always. PostgreSQL when TEST_DATABASE_URL is set or a server answers on
127.0.0.1:5432 (database `test`, trust auth); with CI=true it is required, never skipped.
Each run creates its own uniquely named database and drops it at the end.
"""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HOW_TO_GET_POSTGRES = (
    "PostgreSQL tests skipped: no server on 127.0.0.1:5432. Start one (Debian: apt-get install postgresql; "
    "pg_ctlcluster 15 main start) with trust auth and a database `test`, or set TEST_DATABASE_URL."
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_admin_url() -> str | None:
    """The URL of a reachable PostgreSQL server to create test databases on, or None."""
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_ADMIN_URL
    url = make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means "not available"
        if in_ci():
            raise RuntimeError(f"CI=true but PostgreSQL is not reachable at {url}") from None
        return None
    return url


def create_database(admin_url: str, prefix: str = "compliance_test") -> str:
    """Create a uniquely named database and return its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
