"""The audit log on both engines: appends chain, and an UPDATE or DELETE of a row is detected."""

from __future__ import annotations

from sqlalchemy import Engine, delete, update

from dashboard.audit.log import current_head, record, verify
from data_access.db import session_factory, transaction
from data_access.models import AuditEntry


def _append(engine: Engine, n: int) -> None:
    with transaction(engine) as session:
        for i in range(n):
            record(session=session, actor="manager", role="manager", action="person.view", object_type="person",
                   object_id=i, details={"i": i})


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
