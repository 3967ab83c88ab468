"""The statements the access-log and usage-event ingest runs besides its bulk inserts
(data_access.bulk): who a line names, which of a chunk's lines this batch stored, the URL findings.
The rules are in dashboard.imports.activity; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data_access.models import AccessLogEntry, PersistentIdentifier, Person, UrlPiiFinding

LOOKUP_CHUNK = 512  # values per statement at most


def _padded_chunks(values: Collection[str]) -> list[list[str]]:
    """The values in chunks of LOOKUP_CHUNK, each padded (with its own first value: IN ignores
    repeats) to a power of two from 8: every distinct count of values was a new SQL text, and
    SQLite's statement cache (128 a connection) kept each one, about 1 MB at 5,000 values, so an
    ingest's memory grew with its chunks' variety."""
    ordered = list(dict.fromkeys(values))
    chunks = []
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[start : start + LOOKUP_CHUNK]
        size = 8
        while size < len(chunk):
            size *= 2
        chunks.append(chunk + [chunk[0]] * (size - len(chunk)))
    return chunks


def _lookup(session: Session, column: Any, person: Any, values: Collection[str]) -> dict[str, int]:
    return {
        str(value): int(found)
        for chunk in _padded_chunks(values)
        for value, found in session.execute(select(column, person).where(column.in_(chunk)))
    }


def people_by_ref(session: Session, values: Collection[str]) -> dict[str, int]:
    """User id (people.external_ref) -> person id, for those stored."""
    return _lookup(session, Person.external_ref, Person.id, values)


def people_by_identifier(session: Session, values: Collection[str]) -> dict[str, int]:
    """Persistent identifier (Google ID, cookie id) -> the person holding it."""
    return _lookup(session, PersistentIdentifier.value, PersistentIdentifier.person_id, values)


def people_by_username(session: Session, values: Collection[str]) -> dict[str, int]:
    return _lookup(session, Person.username, Person.id, values)


def last_access_line_id(session: Session) -> int:
    return int(session.scalar(select(func.max(AccessLogEntry.id))) or 0)


def line_keys_stored_by(
    session: Session, batch_id: int, keys: Collection[str], first: datetime, last: datetime
) -> set[str]:
    """Which of these line keys (lines between first and last) this batch stored, through the (ts,
    line_key) key."""
    return set(
        session.scalars(
            select(AccessLogEntry.line_key).where(
                AccessLogEntry.ts.between(first, last),
                AccessLogEntry.line_key.in_(keys),
                AccessLogEntry.batch_id == batch_id,
            )
        )
    )


def add_url_pii_findings(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(insert(UrlPiiFinding), rows)
