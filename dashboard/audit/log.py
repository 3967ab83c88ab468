"""Writing and verifying the audit log (design: every view of a person's data, action and export)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from dashboard.audit.chain import GENESIS_HASH, ChainEntry, ChainVerdict, compute_hash, verify_chain
from data_access import audit_repo


def record(*, session: Session, actor: str, role: str, action: str, object_type: str | None = None,
           object_id: str | int | None = None, details: dict[str, Any] | None = None,
           now: datetime | None = None) -> int:
    """Append one entry to the hash chain inside the caller's transaction; returns its id."""
    at = (now or datetime.now(UTC)).astimezone(UTC)
    last_id, prev_hash = audit_repo.lock_head(session, GENESIS_HASH)
    entry_id = last_id + 1
    payload = dict(details or {})
    oid = None if object_id is None else str(object_id)[:64]  # the column's size; details carry the rest
    entry_hash = compute_hash(prev_hash, entry_id, at, actor, role, action, object_type, oid, payload)
    audit_repo.append_entry(session, entry_id=entry_id, at=at, actor=actor, role=role, action=action,
                            object_type=object_type, object_id=oid, details=payload,
                            prev_hash=prev_hash, entry_hash=entry_hash)
    return entry_id


def verify(*, session: Session, expected_head: str | None = None) -> ChainVerdict:
    """Re-hash the whole log in id order and report the first entry that breaks the chain."""
    entries = (ChainEntry(id=e.id, at=e.at, actor=e.actor, role=e.role, action=e.action,
                          object_type=e.object_type, object_id=e.object_id, details=e.details,
                          prev_hash=e.prev_hash, entry_hash=e.entry_hash)
               for e in audit_repo.iter_entries(session))
    return verify_chain(entries, expected_head=expected_head)


def current_head(*, session: Session) -> str:
    return audit_repo.head_hash(session) or GENESIS_HASH
