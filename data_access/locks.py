"""Writers that must not interleave: one at a time, for the rest of the transaction.

SQLite already allows one writer at a time. On PostgreSQL two imports of logs or events into the
same days could each move a visit off the same old exit page
(data_access.rollups.add_exit_page_changes reads what its own snapshot sees) or recompute a day's
rollups without the other's rows, and two imports of the same file would each insert its rows until
the second died on a unique key; so every import takes one transaction-level advisory lock.
A second import does not queue behind the first (which may run for minutes): it is told at once that
the database is busy (DatabaseBusy), as it is on SQLite once the busy timeout has passed.
"""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy import text
from sqlalchemy.orm import Session

from data_access.busy import DatabaseBusy


class WriterLock(IntEnum):
    IMPORT = (
        7_301  # every import: files, access logs, usage events, suppression lists, sync; any unique number
    )


def hold_import_lock(session: Session) -> None:
    """Take the import lock until this transaction ends, or raise DatabaseBusy at once when another
    import holds it.
    A no-op on SQLite, whose write lock does the same (with the busy timeout, data_access.db)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    if not session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": int(WriterLock.IMPORT)}):
        raise DatabaseBusy()
