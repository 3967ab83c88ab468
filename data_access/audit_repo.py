"""Storage of the audit log: serialised appends and a streaming read for verification.

Appends take a write lock on the single `audit_head` row first (an UPDATE), so on
PostgreSQL concurrent writers queue on that row lock and on SQLite on the database write
lock; the chain therefore never forks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data_access.models import AuditEntry, AuditHead

HEAD_ID = 1


def lock_head(session: Session, genesis_hash: str) -> tuple[int, str]:
    """Take the append lock and return (last id, last hash); creates the head row on first use."""
    locked = session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=AuditHead.last_id))
    if locked.rowcount == 0:  # type: ignore[attr-defined]
        # First entry ever: several writers may get here at once; one insert wins, the others wait on its
        # row lock and then find it, so the chain cannot fork at its start either.
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(AuditHead).values(id=HEAD_ID, last_id=0, last_hash=genesis_hash)
                        .on_conflict_do_nothing())
        session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=AuditHead.last_id))
    head = session.execute(select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == HEAD_ID)).one()
    return int(head.last_id), str(head.last_hash)


def append_entry(session: Session, *, entry_id: int, at: datetime, actor: str, role: str, action: str,
                 object_type: str | None, object_id: str | None, details: dict[str, Any],
                 prev_hash: str, entry_hash: str) -> None:
    """Write one entry and move the head to it (the caller holds the lock from lock_head)."""
    session.add(AuditEntry(id=entry_id, at=at, actor=actor, role=role, action=action, object_type=object_type,
                           object_id=object_id, details=details, prev_hash=prev_hash, entry_hash=entry_hash))
    session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=entry_id, last_hash=entry_hash))
    session.flush()


def iter_entries(session: Session, *, batch: int = 2_000) -> Iterator[AuditEntry]:
    """Every entry in id order, read in batches so memory stays flat on a long log."""
    last_id = 0
    while True:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()


def head_hash(session: Session) -> str | None:
    return session.scalar(select(AuditHead.last_hash).where(AuditHead.id == HEAD_ID))
