"""Bulk inserts in chunks, and the PostgreSQL sequence fix-up after explicit ids."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import Engine, Table, insert, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from data_access.copy_insert import copy_ignoring_conflicts
from data_access.db import BUSY_TIMEOUT_MS
from data_access.models import Base
from data_access.types import UTCDateTime

CHUNK = 5_000


def insert_rows(
    session: Session, table_name: str, rows: Iterable[Mapping[str, Any]], chunk: int = CHUNK
) -> int:
    """Insert plain dicts into a table in chunks (executemany); returns the number written."""
    table = Base.metadata.tables[table_name]
    iterator = iter(rows)
    written = 0
    while batch := list(islice(iterator, chunk)):
        session.execute(insert(table), batch)
        written += len(batch)
    return written


def reset_sequences(session: Session, table_names: Sequence[str]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in table_names:
        table = Base.metadata.tables[name]
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - names from our metadata
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )


@contextmanager
def bulk_load_transaction(engine: Engine) -> Iterator[Session]:
    """One transaction for loading millions of rows into an empty database; commit on success, roll
    back on error.

    SQLite writes it through a rollback journal rather than WAL when it can: in WAL mode every page of a 10 GB
    load is written twice (to the WAL, then checkpointed into the file); with a rollback journal,
    pages past the file's original end are written once and never journaled, and an interrupted load
    still rolls back. SQLite leaves WAL only when no other connection has the file open; otherwise
    the load runs in WAL, slower but the same. WAL is switched back on after, as every other
    connection expects (data_access.db). The session is bound to one connection, because a new
    pooled connection would switch WAL on again in the middle of the load."""
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        left_wal = connection.dialect.name == "sqlite" and _try_journal_mode(raw, "delete")
        try:
            with Session(bind=connection, expire_on_commit=False) as session, session.begin():
                yield session
        finally:
            if left_wal and not _try_journal_mode(raw, "wal"):
                raise RuntimeError("SQLite refused to switch back to WAL after the bulk load")


def _try_journal_mode(raw: Any, mode: str) -> bool:
    """Switch journal mode without waiting on other connections; PRAGMA journal_mode answers with the mode in
    force, which is the old one when the switch was refused."""
    raw.execute("PRAGMA busy_timeout=0")
    try:
        return str(raw.execute(f"PRAGMA journal_mode={mode}").fetchone()[0]).lower() == mode
    except sqlite3.OperationalError:  # "database is locked": another connection has the file open
        return False
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def tune_for_bulk_load(session: Session, cache_mib: int, *, temp_in_memory: bool = True) -> None:
    """SQLite's default 2 MB page cache thrashes when random keys go into a large index; give it `cache_mib`.

    The cache holds the pages a transaction wrote, and SQLite's sorts (CREATE INDEX, GROUP BY, ORDER
    BY) keep up to about a cache's worth in memory before spilling to temporary files, so its size
    bounds the process's memory on a large load. Those files stay in memory with `temp_in_memory`:
    fine for ingest, whose sorts are small, but the demo at scale sorts 20M rows to build an index,
    and with it in memory peaked at 7.6 GB (issue 27)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"PRAGMA cache_size=-{int(cache_mib) * 1024}"))
        session.execute(text(f"PRAGMA temp_store={'MEMORY' if temp_in_memory else 'FILE'}"))


def skip_foreign_key_checks(session: Session) -> bool:
    """SQLite: stop checking foreign keys for the rest of this transaction; True when that took effect.

    For ingest, whose keys are all read in its own transaction while it holds SQLite's one write
    lock (its batch, and the people it links, looked up after the batch row is written), so no other
    writer can remove them before the rows that name them are stored. Checking them cost a lookup of
    the parent row per stored row: at 1M people, 900 linked people spread over the table, 12.4-12.6
    against 10.0-10.7 us a log row, and 21-26 against 18 with the caches empty (where the people are
    neighbours, as in the benchmark's file, the pages stay cached and it costs little). SQLite
    ignores the pragma once the transaction has written; the checks then simply stay on. The pool
    switches them on again at the connection's next checkout (data_access.db), whether this
    transaction commits or rolls back."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    session.execute(text("PRAGMA foreign_keys=OFF"))
    return not session.execute(text("PRAGMA foreign_keys")).scalar()


@contextmanager
def indexes_built_after(session: Session, table_names: Sequence[str]) -> Iterator[None]:
    """Drop the tables' plain secondary indexes, run the load, then build them again from their own
    definitions.

    Keeping three or four indexes current row by row, with timestamps and clients in random order, was most of
    a 20M-row load; one sorted build per index at the end is a fraction of that. Indexes that back a
    primary key or unique constraint stay. On SQLite a unique index made by CREATE UNIQUE INDEX goes
    too (access_log's (ts, line_key): random timestamps into a 20M-row index needed a 2 GB page
    cache); building it again still enforces it, as a duplicate fails the build and the load rolls
    back. PostgreSQL keeps its unique indexes."""
    definitions = _plain_index_definitions(session, table_names)
    for name, _ in definitions:
        session.execute(text(f'DROP INDEX "{name}"'))
    yield
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
    for _, definition in definitions:
        session.execute(text(definition))


@contextmanager
def search_index_rebuilt_after(session: Session) -> Iterator[None]:
    """SQLite: suspend the triggers that keep the person search index current (migration 0019)
    during the load, then rebuild the index once from contacts and restore the triggers from their
    own definitions.

    A 50k-person load (no log lines) took 70.4 s with the triggers' trigram inserts row by row, 32.1
    s with one rebuild at the end, 23.7 s without the index (one run each, on a busy machine).
    PostgreSQL's trigram indexes are plain indexes, dropped and rebuilt by indexes_built_after."""
    if (
        session.get_bind().dialect.name != "sqlite"
        or not session.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'contact_search'")
        ).first()
    ):
        yield
        return
    triggers = session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'contact\\_search\\_%' ESCAPE '\\' ORDER BY name"
        )
    ).all()
    for name, _ in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    session.execute(text("INSERT INTO contact_search (contact_search) VALUES ('rebuild')"))
    for _, definition in triggers:
        session.execute(text(definition))


def _plain_index_definitions(session: Session, table_names: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of each index on the tables that no constraint owns."""
    if session.get_bind().dialect.name == "sqlite":  # autoindexes of PRIMARY KEY / UNIQUE have no sql
        return [
            (name, sql)
            for name, sql in session.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND tbl_name IN (SELECT value FROM json_each(:names)) ORDER BY name"
                ),
                {"names": json.dumps(list(table_names))},
            )
        ]
    rows = session.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = "
            "x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(:names) "
            "AND t.relnamespace = current_schema()::regnamespace "
            "AND NOT x.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid "
            "= x.indexrelid) "
            "ORDER BY i.relname"
        ),
        {"names": list(table_names)},
    )
    # A partitioned table's index reads "ON ONLY parent": rebuilt that way it would cover no partition.
    return [(name, definition.replace(" ON ONLY ", " ON ", 1)) for name, definition in rows]


def timestamp_writer(dialect_name: str) -> Callable[[datetime], Any]:
    """How fast_copy rows must carry timestamps: aware datetimes for COPY, SQLAlchemy's naive-UTC
    text for SQLite."""
    if dialect_name == "postgresql":
        return lambda value: value
    return sqlite_utc_text


def sqlite_utc_text(value: datetime | None) -> str | None:
    """A UTCDateTime as SQLAlchemy stores it in SQLite (naive UTC text with microseconds), several
    times faster than its bind processor; tests/data_access/test_bulk_insert.py proves the two
    agree. Log timestamps have whole seconds and whole-minute offsets: their minute is converted
    once, the seconds appended."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: a time zone is required")
    offset = value.utcoffset()
    if value.microsecond or offset is None or offset.seconds % 60 or offset.microseconds:
        v = value.astimezone(UTC)
        return f"{_minute_text(v)}{v.second:02d}.{v.microsecond:06d}"
    return (
        _utc_minute_text(value.year, value.month, value.day, value.hour, value.minute, offset)
        + _SECOND_TEXT[value.second]
    )


_SECOND_TEXT = [f"{second:02d}.000000" for second in range(60)]


@lru_cache(maxsize=4096)
def _utc_minute_text(year: int, month: int, day: int, hour: int, minute: int, offset: timedelta) -> str:
    """Keyed by fields, not by the datetime at the minute: datetime.replace cost more than all the rest."""
    return _minute_text(datetime(year, month, day, hour, minute, tzinfo=timezone(offset)).astimezone(UTC))


def _minute_text(v: datetime) -> str:
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:"


def fast_copy(
    session: Session, table_name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Bulk-load tuples (values already in the engine's form, see timestamp_writer), bypassing the ORM.

    PostgreSQL uses COPY, SQLite a raw executemany. For millions of rows only (the demo at scale).
    """
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        written = 0
        with (
            raw.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    statement = f"INSERT INTO {table_name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608
    cursor = raw.cursor()  # type: ignore[union-attr]
    written = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, 50_000)):
        cursor.executemany(statement, batch)
        written += len(batch)
    return written


def insert_ignoring_conflicts(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert dicts (all with the same keys) skipping those that break a unique key; returns how
    many were stored.

    Values pass through the columns' own bind processors, so stored values are exactly what the ORM writes."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect
    columns = list(rows[0])
    processors = [
        (i, p) for i, name in enumerate(columns) if (p := _bind_processor(table.c[name], dialect)) is not None
    ]
    params = []
    for row in rows:
        values = [row[name] for name in columns]
        for i, process in processors:
            values[i] = process(values[i])
        params.append(tuple(values))
    return insert_values_ignoring_conflicts(session, table, columns, params)


def insert_values_ignoring_conflicts(
    session: Session, table: Table, columns: Sequence[str], params: Sequence[tuple[Any, ...]]
) -> int:
    """Insert tuples already in the engine's form (see sqlite_utc_text) skipping those that break a
    unique key.

    Returns the number stored, from the statement's row count: no RETURNING and no per-row ORM
    work, which for ingest cost more than the database's own work. SQLite: one executemany of
    INSERT OR IGNORE; PostgreSQL: COPY and one INSERT .. SELECT (data_access.copy_insert)."""
    if not params:
        return 0
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return copy_ignoring_conflicts(connection, table, columns, params)
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    statement = f"INSERT OR IGNORE INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608
    return int(connection.exec_driver_sql(statement, list(params)).rowcount)


def _bind_processor(column: ColumnElement[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    if dialect.name == "sqlite" and isinstance(column.type, UTCDateTime):
        return sqlite_utc_text
    return column.type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]


def refresh_planner_statistics(session: Session) -> None:
    """After a bulk load, give the query planner row counts and value spreads to choose indexes by.

    SQLite keeps no statistics until ANALYZE runs (analysis_limit samples each index, so it takes seconds,
    not minutes, at 20M rows); PostgreSQL's autovacuum would get there, but not before the first queries."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA analysis_limit=1000"))
    session.execute(text("ANALYZE"))


def vacuum_after_bulk_load(engine: Engine, skip: Sequence[str] = ()) -> None:
    """PostgreSQL only: VACUUM the freshly loaded tables (but `skip`) so index-only scans can answer from the
    index, as they do once autovacuum has run on a live database; until then every row is checked in the
    table. The opt-out histogram at 1M people went 0.26 -> 0.09 s."""
    vacuum_tables(engine, [table.name for table in Base.metadata.sorted_tables if table.name not in skip])


def vacuum_tables(engine: Engine, names: Sequence[str]) -> None:
    """PostgreSQL only: VACUUM these tables (a partitioned one with its partitions), for where
    autovacuum is off or has not come yet. VACUUM cannot run in a transaction."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for name in names:
            connection.execute(text(f'VACUUM "{name}"'))
