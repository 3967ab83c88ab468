"""Writers that must not interleave: one at a time, for the rest of the transaction.

SQLite already allows one writer at a time. On PostgreSQL two imports of logs or events into the same days could
each move a visit off the same old exit page (data_access.rollups.add_exit_page_changes reads what its own
snapshot sees) or recompute a day's rollups without the other's rows, so they take a transaction-level advisory
lock and run one after the other.
"""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy import text
from sqlalchemy.orm import Session


class WriterLock(IntEnum):
    ACTIVITY_IMPORT = 7_301  # access logs and usage events; any number unique among this application's locks


def hold_until_commit(session: Session, lock: WriterLock) -> None:
    """Wait for `lock`, then hold it until this transaction ends (commit or rollback). A no-op on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(lock)})
