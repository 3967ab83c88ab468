"""Password hashing, lockout, idle expiry and the audit hash chain (pure rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.audit.chain import GENESIS_HASH, ChainEntry, StoredHead, check_head, compute_hash, verify_chain
from dashboard.audit.keyed import seal_head, typed_digest
from dashboard.auth.lockout import is_idle_expired, is_locked, register_failure
from dashboard.auth.passwords import WeakPasswordError, hash_password, validate_new_password, verify_password

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_argon2id_hash_verifies_only_the_right_password() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong horse battery")
    assert not verify_password("not-a-hash", "anything")


def test_weak_passwords_are_refused_naming_the_rule() -> None:
    with pytest.raises(WeakPasswordError, match="12 characters"):
        validate_new_password("short")
    with pytest.raises(WeakPasswordError, match="different characters"):
        validate_new_password("aaaaaaaaaaaaaaaa")


def test_fifth_failure_locks_for_fifteen_minutes() -> None:
    attempts, locked = 0, None
    for _ in range(4):
        attempts, locked = register_failure(attempts, NOW)
        assert locked is None
    attempts, locked = register_failure(attempts, NOW)
    assert locked == NOW + timedelta(minutes=15)
    assert is_locked(locked, NOW + timedelta(minutes=14, seconds=59))
    assert not is_locked(locked, NOW + timedelta(minutes=15))


def test_thirty_idle_minutes_end_a_session() -> None:
    assert not is_idle_expired(NOW, NOW + timedelta(minutes=29, seconds=59))
    assert is_idle_expired(NOW, NOW + timedelta(minutes=30))


def _chain(n: int) -> list[ChainEntry]:
    entries, previous = [], GENESIS_HASH
    for i in range(1, n + 1):
        at = NOW + timedelta(seconds=i)
        digest = compute_hash(
            previous, i, at, "manager", "manager", "person.view", "person", str(i), {"n": i}
        )
        entries.append(
            ChainEntry(
                i, at, "manager", "manager", "person.view", "person", str(i), {"n": i}, previous, digest
            )
        )
        previous = digest
    return entries


def test_intact_chain_verifies_and_reports_its_head() -> None:
    entries = _chain(5)
    verdict = verify_chain(iter(entries), expected_head=entries[-1].entry_hash)
    assert verdict.ok and verdict.checked == 5 and verdict.head_hash == entries[-1].entry_hash


def test_edited_deleted_inserted_and_truncated_entries_are_caught() -> None:
    entries = _chain(5)
    edited = entries[:2] + [replace(entries[2], actor="someone-else")] + entries[3:]
    assert verify_chain(edited).first_bad_id == 3
    deleted = entries[:2] + entries[3:]
    assert verify_chain(deleted).first_bad_id == 4
    forged = replace(entries[2], id=3)
    inserted = entries[:2] + [forged, replace(entries[2], id=4)] + entries[3:]
    assert not verify_chain(inserted).ok
    truncated = verify_chain(iter(entries[:3]), expected_head=entries[-1].entry_hash)
    assert not truncated.ok and "removed" in (truncated.reason or "")


KEY = b"k" * 32


def _head(entries: list[ChainEntry], key: bytes = KEY) -> StoredHead:
    last = entries[-1]
    return StoredHead(last.id, last.entry_hash, seal_head(key, last.id, last.entry_hash))


def test_the_keyed_head_catches_a_cut_tail_and_an_appended_entry() -> None:
    entries = _chain(5)
    assert check_head(verify_chain(iter(entries)), _head(entries), KEY).ok
    cut = check_head(verify_chain(iter(entries[:4])), _head(entries), KEY)
    assert not cut.ok and "cut off" in (cut.reason or "")
    moved_back = StoredHead(4, entries[3].entry_hash, "0" * 64)  # without the key the seal cannot be redone
    assert "key" in (check_head(verify_chain(iter(entries[:4])), moved_back, KEY).reason or "")
    appended = check_head(verify_chain(iter(entries)), _head(entries[:4]), KEY)
    assert not appended.ok and "entry 5" in (appended.reason or "")
    assert not check_head(verify_chain(iter(entries)), _head(entries, b"x" * 32), KEY).ok  # another key
    assert "not sealed" in (
        check_head(verify_chain(iter(entries)), StoredHead(5, entries[-1].entry_hash, None), KEY).reason or ""
    )
    assert "no head" in (check_head(verify_chain(iter(entries)), None, KEY).reason or "")
    assert check_head(verify_chain(iter([])), None, KEY).ok  # an empty log has no head yet


def test_a_typed_value_is_digested_with_the_key_and_case_insensitively() -> None:
    assert typed_digest(KEY, " Ann@Example.com ") == typed_digest(KEY, "ann@example.com")
    assert typed_digest(KEY, "ann@example.com") != typed_digest(b"x" * 32, "ann@example.com")
    assert "ann" not in typed_digest(KEY, "ann@example.com") and len(typed_digest(KEY, "ann")) == 64
