"""The audit log on both engines: appends chain, an UPDATE or DELETE of a row is detected, and so
are a cut tail and an appended entry, against the keyed head the log keeps (no head hash needs to be
given)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete, insert, select, update

from dashboard.audit.chain import compute_hash
from dashboard.audit.log import current_head, record, reseal, verify
from data_access.db import session_factory, transaction
from data_access.models import AuditEntry, AuditHead


def _append(engine: Engine, n: int) -> None:
    with transaction(engine) as session:
        for i in range(n):
            record(
                session=session,
                actor="manager",
                role="manager",
                action="person.view",
                object_type="person",
                object_id=i,
                details={"i": i},
            )


def test_appended_entries_verify_against_the_recorded_head(engine: Engine) -> None:
    _append(engine, 4)
    with session_factory(engine)() as session:
        head = current_head(session=session)
        verdict = verify(session=session, expected_head=head)
    assert verdict.ok and verdict.checked == 4


def test_an_updated_row_is_named_as_the_first_bad_entry(engine: Engine) -> None:
    _append(engine, 4)
    with transaction(engine) as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="intruder"))
    with session_factory(engine)() as session:
        verdict = verify(session=session)
    assert not verdict.ok and verdict.first_bad_id == 2


def test_a_deleted_row_breaks_the_chain_at_the_next_entry(engine: Engine) -> None:
    _append(engine, 4)
    with transaction(engine) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == 3))
    with session_factory(engine)() as session:
        assert verify(session=session).first_bad_id == 4


def _move_head_to(engine: Engine, entry_id: int) -> None:
    """What an intruder with write access to the database, but not the audit key, can do to the head."""
    with transaction(engine) as session:
        entry_hash = session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == entry_id))
        session.execute(update(AuditHead).values(last_id=entry_id, last_hash=entry_hash))


@pytest.mark.parametrize("move_head", [False, True])
def test_a_cut_tail_is_caught_without_a_recorded_head(engine: Engine, move_head: bool) -> None:
    """Item 7: deleting the newest entries (and moving audit_head back) passed `verify` unless
    --head was given."""
    _append(engine, 4)
    with transaction(engine) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id >= 3))
    if move_head:
        _move_head_to(engine, 2)
    with session_factory(engine)() as session:
        verdict = verify(session=session)
    assert not verdict.ok and verdict.first_bad_id is None and "head" in (verdict.reason or "")
    expected = "key" if move_head else "cut off"
    assert expected in (verdict.reason or "")


@pytest.mark.parametrize("move_head", [False, True])
def test_an_appended_entry_with_a_recomputed_hash_is_caught(engine: Engine, move_head: bool) -> None:
    """Item 7: an entry added with a correct SHA-256 (anyone can compute it) passed `verify`."""
    _append(engine, 3)
    with transaction(engine) as session:
        last = session.scalars(select(AuditEntry).where(AuditEntry.id == 3)).one()
        at = last.at + timedelta(seconds=1)
        forged = compute_hash(last.entry_hash, 4, at, "manager", "manager", "person.view", "person", "9", {})
        session.execute(
            insert(AuditEntry).values(
                id=4,
                at=at,
                actor="manager",
                role="manager",
                action="person.view",
                object_type="person",
                object_id="9",
                details={},
                prev_hash=last.entry_hash,
                entry_hash=forged,
            )
        )
    if move_head:
        _move_head_to(engine, 4)
    with session_factory(engine)() as session:
        verdict = verify(session=session)
    assert not verdict.ok and "head" in (verdict.reason or "")
    assert ("key" if move_head else "entry 4") in (verdict.reason or "")


def test_an_unsealed_or_moved_head_stays_reported_until_deliberately_resealed(engine: Engine) -> None:
    """A head from before keyed heads (or whose seal was removed, or moved without the key) is never
    trusted, and the next entry does not seal over it (that would launder a cut tail); `reseal`
    checks the chain, then seals."""
    _append(engine, 2)
    with transaction(engine) as session:
        session.execute(update(AuditHead).values(head_hmac=None))
    with session_factory(engine)() as session:
        verdict = verify(session=session)
    assert not verdict.ok and "not sealed" in (verdict.reason or "")
    _append(engine, 1)
    with session_factory(engine)() as session:
        assert "not sealed" in (verify(session=session).reason or "")
    with transaction(engine) as session:
        assert reseal(session=session).ok
    _append(engine, 1)
    with session_factory(engine)() as session:
        assert verify(session=session).ok
    with transaction(engine) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == 4))
    _move_head_to(engine, 3)
    _append(engine, 1)  # a new entry after the cut: the moved head's bad seal is carried, not replaced
    with session_factory(engine)() as session:
        assert "key" in (verify(session=session).reason or "")
    with transaction(engine) as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 1).values(actor="intruder"))
    with transaction(engine) as session:
        refused = reseal(session=session)
    assert not refused.ok and refused.first_bad_id == 1  # a broken chain is never sealed


def test_the_head_is_sealed_with_the_configured_key(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _append(engine, 2)
    monkeypatch.setenv("COMPLIANCE_AUDIT_KEY", "another key, as long as it must be: 32+ characters")
    with session_factory(engine)() as session:
        verdict = verify(session=session)
    assert not verdict.ok and "key" in (verdict.reason or "")
