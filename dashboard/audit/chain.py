"""The audit hash chain: each entry's SHA-256 covers its content and the previous entry's hash.

Editing, deleting or inserting a row breaks the chain at that row. Cutting off the newest
rows cannot be seen from the rows alone, so verification can also check a recorded head hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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


def canonical_payload(entry_id: int, at: datetime, actor: str, role: str, action: str, object_type: str | None,
                      object_id: str | None, details: Mapping[str, Any], prev_hash: str) -> bytes:
    """Deterministic bytes of an entry: sorted keys, UTC timestamp with microseconds."""
    body = {"id": entry_id, "at": at.astimezone(UTC).isoformat(timespec="microseconds"), "actor": actor,
            "role": str(role), "action": action, "object_type": object_type, "object_id": object_id,
            "details": details, "prev_hash": prev_hash}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def compute_hash(prev_hash: str, entry_id: int, at: datetime, actor: str, role: str, action: str,
                 object_type: str | None, object_id: str | None, details: Mapping[str, Any]) -> str:
    payload = canonical_payload(entry_id, at, actor, role, action, object_type, object_id, details, prev_hash)
    return hashlib.sha256(payload).hexdigest()


def verify_chain(entries: Iterable[ChainEntry], *, expected_head: str | None = None) -> ChainVerdict:
    """Walk the entries in id order (streamed) and name the first one that breaks the chain."""
    previous_hash, previous_id, checked = GENESIS_HASH, 0, 0
    seen_expected_at: int | None = None
    for entry in entries:
        checked += 1
        if entry.id != previous_id + 1:
            return ChainVerdict(False, checked, entry.id, f"entry {entry.id} follows {previous_id}: "
                                f"entries between were deleted or inserted", previous_hash)
        if entry.prev_hash != previous_hash:
            return ChainVerdict(False, checked, entry.id, f"entry {entry.id} does not link to entry "
                                f"{previous_id}: a row was deleted, inserted or altered", previous_hash)
        expected = compute_hash(entry.prev_hash, entry.id, entry.at, entry.actor, entry.role, entry.action,
                                entry.object_type, entry.object_id, entry.details)
        if expected != entry.entry_hash:
            return ChainVerdict(False, checked, entry.id, f"entry {entry.id} was altered: its content does not "
                                "match its hash", previous_hash)
        previous_hash, previous_id = entry.entry_hash, entry.id
        if expected_head is not None and entry.entry_hash == expected_head:
            seen_expected_at = entry.id
    if expected_head is not None and previous_hash != expected_head:
        if seen_expected_at is None:
            return ChainVerdict(False, checked, None, "the recorded head hash is not in the log: entries after it "
                                "were removed or the log was rewritten", previous_hash)
    return ChainVerdict(True, checked, None, None, previous_hash)
