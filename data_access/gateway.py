"""The one read gateway: every query result the UI sees passes through here.

Statements are SQLAlchemy constructs (bound parameters, never string formatting); results
leave as DataFrames or plain tuples, never live ORM objects. One place for the row cap and
for logging slow reads.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pandas as pd
from sqlalchemy import Executable
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
MAX_ROWS = 10_000
SLOW_SECONDS = 0.5


def read_df(session: Session, statement: Executable, *, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Run a SELECT and return at most `limit` rows as a DataFrame (columns as labelled in the query)."""
    started = time.perf_counter()
    # An ORM session buffers the whole result before the first fetch. On SQLite yield_per makes it
    # stream, so a capped read of a large result steps `limit` rows, not all (2 s -> 5 ms for 200 of
    # 85k opt-outs). On PostgreSQL yield_per means a server-side cursor, which is planned for the
    # first rows and picked a plan ten times slower for the opt-out report: there, queries that can
    # return many rows carry their own LIMIT.
    sqlite = session.get_bind().dialect.name == "sqlite"
    result = session.execute(statement, execution_options={"yield_per": limit} if sqlite else {})
    columns = list(result.keys())
    rows = result.fetchmany(limit)
    result.close()
    _log_if_slow(statement, started, len(rows))
    return pd.DataFrame(rows, columns=columns)


def read_one(session: Session, statement: Executable) -> Any:
    """Run a SELECT that yields one scalar (a count, a date)."""
    started = time.perf_counter()
    value = session.execute(statement).scalar()
    _log_if_slow(statement, started, 1)
    return value


def _log_if_slow(statement: Executable, started: float, rows: int) -> None:
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_SECONDS:
        log.warning("slow query (%.2f s, %d rows): %s", elapsed, rows, _describe(statement))


def _describe(statement: Executable) -> str:
    """The statement's text for the log; never an exception (a logging aid must not break a page)."""
    try:
        return str(statement)[:300]
    except Exception:  # noqa: BLE001 - e.g. a dialect-only construct has no generic rendering
        return type(statement).__name__
