"""A busy database as a domain error: another writer held the lock longer than we wait for it.

SQLite has one writer at a time and answers "database is locked" once its busy timeout has passed; PostgreSQL
answers "lock not available" once lock_timeout has (data_access.db sets both), and a second import finds the
import lock taken (data_access.locks). Each becomes DatabaseBusy, so the CLI, the sign-in route and
the pages can say "busy, try again" in one place each instead of failing with a traceback or a 500.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import OperationalError

BUSY_ADVICE = "database busy: another import or write is running; try again"
_SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_POSTGRES_LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout expired, or NOWAIT found the lock taken


class DatabaseBusy(OperationalError):
    """Another transaction holds a lock this one needs; nothing of this transaction was kept."""

    def __init__(
        self, statement: str | None = None, params: Any = None, orig: BaseException | None = None
    ) -> None:
        super().__init__(statement, params, orig or RuntimeError(BUSY_ADVICE))

    def __str__(self) -> str:
        return BUSY_ADVICE


def is_busy(error: BaseException | None) -> bool:
    """True for the driver errors that mean "another writer holds the lock", on either engine."""
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _SQLITE_BUSY_CODES
        return "database is locked" in str(error) or "database table is locked" in str(error)
    return getattr(error, "sqlstate", None) == _POSTGRES_LOCK_NOT_AVAILABLE


def busy_as_domain_error(context: ExceptionContext) -> BaseException | None:
    """Engine handle_error hook (retval=True): the driver's busy errors become DatabaseBusy, others
    pass as they are. Every statement, commit and cursor fetch of the engine goes through it, so no
    caller has to translate."""
    if is_busy(context.original_exception):
        return DatabaseBusy(context.statement, context.parameters, context.original_exception)
    return None
