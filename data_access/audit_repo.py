"""Storage of the audit log: serialised appends and a streaming read for verification.

Appends take a write lock on the single `audit_head` row first (an UPDATE), so on
PostgreSQL concurrent writers queue on that row lock and on SQLite on the database write
lock; the chain therefore never forks. The head row also keeps the keyed seal of (last id, last hash),
computed above this layer (dashboard.audit.keyed): no secret is handled here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data_access.models import AuditEntry, AuditHead

HEAD_ID = 1
# Actions whose entries were written for an unauthenticated (or unknown single-sign-on) party. Until
# 2026-12-05 their actor was the typed username (or the identity's email), which may be a data
# subject's value; see dashboard.audit.typed_values for how such entries are kept and shown.
UNAUTHENTICATED_ACTIONS = ("auth.sign_in_failed", "auth.sign_in_refused", "auth.sso_refused")


def unauthenticated_entries() -> ColumnElement[bool]:
    return AuditEntry.action.in_(UNAUTHENTICATED_ACTIONS)


class Head(NamedTuple):
    last_id: int
    last_hash: str
    head_hmac: str | None


def lock_head(session: Session, genesis_hash: str) -> Head:
    """Take the append lock and return the head; creates the head row on first use."""
    locked = session.execute(
        update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=AuditHead.last_id)
    )
    if locked.rowcount == 0:  # type: ignore[attr-defined]
        # First entry ever: several writers may get here at once; one insert wins, the others wait on its
        # row lock and then find it, so the chain cannot fork at its start either.
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(AuditHead)
            .values(id=HEAD_ID, last_id=0, last_hash=genesis_hash)
            .on_conflict_do_nothing()
        )
        session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=AuditHead.last_id))
    head = read_head(session)
    assert head is not None  # created just above, under the lock
    return head


def read_head(session: Session) -> Head | None:
    row = session.execute(
        select(AuditHead.last_id, AuditHead.last_hash, AuditHead.head_hmac).where(AuditHead.id == HEAD_ID)
    ).one_or_none()
    return None if row is None else Head(int(row.last_id), str(row.last_hash), row.head_hmac)


def seal(session: Session, last_id: int, last_hash: str, head_hmac: str) -> bool:
    """Store a seal for the head (last_id, last_hash), only if it has not moved since; True when stored."""
    sealed = session.execute(
        update(AuditHead)
        .where(AuditHead.id == HEAD_ID, AuditHead.last_id == last_id, AuditHead.last_hash == last_hash)
        .values(head_hmac=head_hmac)
    )
    return bool(sealed.rowcount)  # type: ignore[attr-defined]


def append_entry(
    session: Session,
    *,
    entry_id: int,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    object_type: str | None,
    object_id: str | None,
    details: dict[str, Any],
    prev_hash: str,
    entry_hash: str,
    head_hmac: str | None,
) -> None:
    """Write one entry and move the head to it with its seal (the caller holds the lock from lock_head)."""
    session.add(
        AuditEntry(
            id=entry_id,
            at=at,
            actor=actor,
            role=role,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
            prev_hash=prev_hash,
            entry_hash=entry_hash,
        )
    )
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .values(last_id=entry_id, last_hash=entry_hash, head_hmac=head_hmac)
    )
    session.flush()


def iter_entries(session: Session, *, after: int = 0, batch: int = 2_000) -> Iterator[AuditEntry]:
    """Every entry after id `after` in id order, read in batches so memory stays flat on a long log."""
    last_id = after
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()


def head_hash(session: Session) -> str | None:
    return session.scalar(select(AuditHead.last_hash).where(AuditHead.id == HEAD_ID))
