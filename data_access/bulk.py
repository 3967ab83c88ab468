"""Bulk inserts in chunks, and the PostgreSQL sequence fix-up after explicit ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
