"""after_commit: work that must wait for the transaction (a WAL checkpoint, VACUUM) runs once it has
committed, not when a savepoint is released, and never when it rolls back."""

from __future__ import annotations

from sqlalchemy import Engine, text

from data_access.db import after_commit, session_factory


def test_runs_after_the_outer_commit_only_and_is_forgotten_on_rollback(engine: Engine) -> None:
    ran: list[str] = []
    with session_factory(engine)() as session:
        session.execute(text("SELECT 1"))
        with session.begin_nested():
            after_commit(session, lambda: ran.append("first"))
        assert ran == []  # the savepoint's release is not the commit
        session.commit()
        assert ran == ["first"]
        session.execute(text("SELECT 1"))
        after_commit(session, lambda: ran.append("rolled back"))
        session.rollback()
        session.execute(text("SELECT 1"))
        session.commit()
    assert ran == ["first"]
