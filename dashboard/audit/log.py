"""Writing and verifying the audit log (design: every view of a person's data, action and export)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from dashboard.audit.chain import (
    GENESIS_HASH,
    ChainEntry,
    ChainVerdict,
    ChainWalk,
    StoredHead,
    check_head,
    compute_hash,
)
from dashboard.audit.keyed import seal_head, seal_matches, typed_digest
from dashboard.settings import audit_key
from data_access import audit_repo
from data_access.models import AuditEntry

ANONYMOUS = "anonymous"  # the actor of entries no one authenticated for (a failed sign-in)


def record(
    *,
    session: Session,
    actor: str,
    role: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> int:
    """Append one entry to the hash chain inside the caller's transaction; returns its id.

    The head moves to the new entry with a new seal only when its seal was valid: a head moved by someone
    without the key is never sealed over (its bad or missing seal is kept), so the next entry cannot
    launder it; `compliance audit seal` is the deliberate way back."""
    key = audit_key()
    at = (now or datetime.now(UTC)).astimezone(UTC)
    head = audit_repo.lock_head(session, GENESIS_HASH)
    entry_id = head.last_id + 1
    payload = dict(details or {})
    oid = None if object_id is None else str(object_id)[:64]  # the column's size; details carry the rest
    entry_hash = compute_hash(head.last_hash, entry_id, at, actor, role, action, object_type, oid, payload)
    trusted = head.last_id == 0 or (
        head.head_hmac is not None and seal_matches(key, head.last_id, head.last_hash, head.head_hmac)
    )
    audit_repo.append_entry(
        session,
        entry_id=entry_id,
        at=at,
        actor=actor,
        role=role,
        action=action,
        object_type=object_type,
        object_id=oid,
        details=payload,
        prev_hash=head.last_hash,
        entry_hash=entry_hash,
        head_hmac=seal_head(key, entry_id, entry_hash) if trusted else head.head_hmac,
    )
    return entry_id


def typed_value_digest(typed: str) -> str:
    """What an unauthenticated user typed, as the audit log may keep it (item 1 of the hardening issue)."""
    return typed_digest(audit_key(), typed)


def verify(*, session: Session, expected_head: str | None = None) -> ChainVerdict:
    """Re-hash the whole log in id order, then check its end against the sealed head; name what is wrong."""
    chain, stored = _walk(session, expected_head)
    return check_head(chain, stored, audit_key())


def reseal(*, session: Session, expected_head: str | None = None) -> ChainVerdict:
    """Seal the stored head with the current key, once the chain is verified intact up to exactly that head.

    For a log from before keyed heads, or after changing the key: the operator vouches that the log's end is
    genuine (best checked against an anchored head, `expected_head`). A broken chain is never sealed."""
    key = audit_key()
    chain, stored = _walk(session, expected_head)
    if stored is None:
        return check_head(chain, None, key)
    new_seal = seal_head(key, stored.last_id, stored.last_hash)
    verdict = check_head(
        chain, replace(stored, head_hmac=new_seal), key
    )  # everything but the old seal must hold
    if verdict.ok and not audit_repo.seal(session, stored.last_id, stored.last_hash, new_seal):
        return replace(
            verdict, ok=False, reason="the head moved while it was being sealed; run the command again"
        )
    return verdict


def _walk(session: Session, expected_head: str | None) -> tuple[ChainVerdict, StoredHead | None]:
    """The chain's verdict and the stored head it must end at.

    Entries and head are read in separate statements, so a writer may append in between (PostgreSQL reads each
    statement afresh): when the head is ahead of the walk, the entries added meanwhile are walked too."""
    walk = ChainWalk()
    walk.feed(_chain_entries(audit_repo.iter_entries(session)), expected_head)
    head = audit_repo.read_head(session)
    while walk.failure is None and head is not None and head.last_id > walk.last_id:
        if not walk.feed(_chain_entries(audit_repo.iter_entries(session, after=walk.last_id)), expected_head):
            break  # the head is ahead of the last entry: check_head reports the cut tail
        head = audit_repo.read_head(session)
    return walk.verdict(expected_head), None if head is None else StoredHead(*head)


def current_head(*, session: Session) -> str:
    return audit_repo.head_hash(session) or GENESIS_HASH


def _chain_entries(rows: Iterable[AuditEntry]) -> Iterable[ChainEntry]:
    return (
        ChainEntry(
            id=e.id,
            at=e.at,
            actor=e.actor,
            role=e.role,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            details=e.details,
            prev_hash=e.prev_hash,
            entry_hash=e.entry_hash,
        )
        for e in rows
    )
