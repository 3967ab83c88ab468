"""Bulk inserts in chunks, and the PostgreSQL sequence fix-up after explicit ids."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from data_access.models import Base

CHUNK = 5_000


def insert_rows(session: Session, table_name: str, rows: Iterable[Mapping[str, Any]], chunk: int = CHUNK) -> int:
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
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - names from our metadata
            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


def tune_for_bulk_load(session: Session) -> None:
    """SQLite's default 2 MB page cache thrashes when random timestamps go into a 20M-row index; give it 2 GB."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA cache_size=-2000000"))
        session.execute(text("PRAGMA temp_store=MEMORY"))


def timestamp_writer(dialect_name: str) -> Callable[[datetime], Any]:
    """How fast_copy rows must carry timestamps: aware datetimes for COPY, SQLAlchemy's naive-UTC text for SQLite."""
    if dialect_name == "postgresql":
        return lambda value: value
    return lambda value: value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def fast_copy(session: Session, table_name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Bulk-load tuples (values already in the engine's form, see timestamp_writer), bypassing the ORM.

    PostgreSQL uses COPY, SQLite a raw executemany. For millions of rows only (the demo at scale).
    """
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        written = 0
        with raw.cursor() as cursor, cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[union-attr]
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
