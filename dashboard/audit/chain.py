"""The audit hash chain: each entry's SHA-256 covers its content and the previous entry's hash.

Editing, deleting or inserting a row breaks the chain at that row. Cutting off the newest rows, or
appending a row with a correctly recomputed SHA-256, cannot be seen from the rows alone: the stored
head (last id, last hash) is sealed with the audit key (dashboard.audit.keyed), and verification
always checks the chain's end against it. A head hash recorded outside the database (`--head`)
also catches a head replayed from an older copy of the database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dashboard.audit.keyed import seal_matches

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    object_type: str | None
    object_id: str | None
    details: Mapping[str, Any]
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str | None
    head_hash: str
    last_id: int = 0


@dataclass(frozen=True)
class StoredHead:
    """The audit_head row: where the application last appended, and its keyed seal (None before
    keyed heads)."""

    last_id: int
    last_hash: str
    head_hmac: str | None


def canonical_payload(
    entry_id: int,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    object_type: str | None,
    object_id: str | None,
    details: Mapping[str, Any],
    prev_hash: str,
) -> bytes:
    """Deterministic bytes of an entry: sorted keys, UTC timestamp with microseconds."""
    body = {
        "id": entry_id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "role": str(role),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "details": details,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode(
        "utf-8"
    )


def compute_hash(
    prev_hash: str,
    entry_id: int,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    object_type: str | None,
    object_id: str | None,
    details: Mapping[str, Any],
) -> str:
    payload = canonical_payload(entry_id, at, actor, role, action, object_type, object_id, details, prev_hash)
    return hashlib.sha256(payload).hexdigest()


class ChainWalk:
    """Checks entries in id order as they stream in; can be fed again with entries appended meanwhile."""

    def __init__(self) -> None:
        self.last_id, self.last_hash, self.checked = 0, GENESIS_HASH, 0
        self.failure: ChainVerdict | None = None
        self._expected_seen = False

    def feed(self, entries: Iterable[ChainEntry], expected_head: str | None = None) -> int:
        """Check `entries`; returns how many were read. Stops at the first that breaks the chain."""
        fed = 0
        for entry in entries:
            if self.failure is not None:
                break
            fed += 1
            self.checked += 1
            reason = self._fault(entry)
            if reason is not None:
                self.failure = ChainVerdict(
                    False, self.checked, entry.id, reason, self.last_hash, self.last_id
                )
                break
            self.last_id, self.last_hash = entry.id, entry.entry_hash
            self._expected_seen = self._expected_seen or entry.entry_hash == expected_head
        return fed

    def _fault(self, entry: ChainEntry) -> str | None:
        if entry.id != self.last_id + 1:
            return f"entry {entry.id} follows {self.last_id}: entries between were deleted or inserted"
        if entry.prev_hash != self.last_hash:
            return (
                f"entry {entry.id} does not link to entry {self.last_id}: a row was deleted, "
                "inserted or altered"
            )
        expected = compute_hash(
            entry.prev_hash,
            entry.id,
            entry.at,
            entry.actor,
            entry.role,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.details,
        )
        if expected != entry.entry_hash:
            return f"entry {entry.id} was altered: its content does not match its hash"
        return None

    def verdict(self, expected_head: str | None = None) -> ChainVerdict:
        if self.failure is not None:
            return self.failure
        if expected_head is not None and self.last_hash != expected_head and not self._expected_seen:
            return ChainVerdict(
                False,
                self.checked,
                None,
                "the recorded head hash is not in the log: entries after "
                "it were removed or the log was rewritten",
                self.last_hash,
                self.last_id,
            )
        return ChainVerdict(True, self.checked, None, None, self.last_hash, self.last_id)


def verify_chain(entries: Iterable[ChainEntry], *, expected_head: str | None = None) -> ChainVerdict:
    """Walk the entries in id order (streamed) and name the first one that breaks the chain."""
    walk = ChainWalk()
    walk.feed(entries, expected_head)
    return walk.verdict(expected_head)


def check_head(verdict: ChainVerdict, stored: StoredHead | None, key: bytes) -> ChainVerdict:
    """The chain's end must be exactly the stored head, and the head must carry the seal only the
    key makes."""
    if not verdict.ok:
        return verdict

    def broken(reason: str) -> ChainVerdict:
        return ChainVerdict(False, verdict.checked, None, reason, verdict.head_hash, verdict.last_id)

    if stored is None or (
        stored.last_id == 0 and verdict.checked == 0
    ):  # an empty log (record() trusts it too)
        return (
            verdict
            if verdict.checked == 0
            else broken("the log has entries but no head record (audit_head was deleted)")
        )
    if verdict.last_id > stored.last_id:
        return broken(
            f"entry {stored.last_id + 1} onwards were appended after the stored head (entry "
            f"{stored.last_id}) without going through the application"
        )
    if verdict.last_id < stored.last_id:
        return broken(
            f"the log ends at entry {verdict.last_id} but the head records entry {stored.last_id}: "
            "entries were cut off the end"
        )
    if verdict.head_hash != stored.last_hash:
        return broken(f"the head's hash differs from entry {stored.last_id}'s: the log was rewritten")
    if stored.head_hmac is None:
        return broken(
            "the head is not sealed with the audit key: a log from before keyed heads, or the seal was "
            "removed; once the log is checked, `compliance audit seal` seals it"
        )
    if not seal_matches(key, stored.last_id, stored.last_hash, stored.head_hmac):
        return broken(
            "the head's seal does not match the audit key: the head was moved without the key "
            "(entries appended or cut off), or COMPLIANCE_AUDIT_KEY changed (then `compliance audit seal`)"
        )
    return verdict
