"""Another connection holding what a running import holds, for the "busy, try again" tests.

SQLite: the one write lock (BEGIN IMMEDIATE). PostgreSQL: the import lock (data_access.locks) and
the audit chain's head row, which an import that audits its rows holds until it commits. The holder
lets go after `release_after` seconds at the latest, so code that waits instead of answering "busy"
gets through in the end and its test fails rather than hangs.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from data_access.db import make_engine, session_factory

SHORT_BUSY_TIMEOUT_MS = 300  # so the busy answer comes long before the holder lets go


@contextmanager
def write_lock_held(engine: Engine, release_after: float = 4.0) -> Iterator[None]:
    held, release, failed = threading.Event(), threading.Event(), list[BaseException]()
    target = _sqlite_holder if engine.dialect.name == "sqlite" else _postgres_holder
    url = engine.url.render_as_string(hide_password=False)

    def hold() -> None:
        try:
            target(url, held, release, release_after)
        except BaseException as exc:  # noqa: BLE001 - reported in the test's thread
            failed.append(exc)
            held.set()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    held.wait(10)
    if failed:
        raise failed[0]
    try:
        yield
    finally:
        release.set()
        thread.join(15)


def _sqlite_holder(url: str, held: threading.Event, release: threading.Event, release_after: float) -> None:
    path = url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(release_after)
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def _postgres_holder(url: str, held: threading.Event, release: threading.Event, release_after: float) -> None:
    from dashboard.audit.log import record
    from data_access.locks import hold_import_lock

    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            hold_import_lock(session)
            record(
                session=session, actor="cli:first", role="manager", action="test.holding"
            )  # the head row lock
            session.flush()
            held.set()
            release.wait(release_after)
            session.rollback()
    finally:
        engine.dispose()
