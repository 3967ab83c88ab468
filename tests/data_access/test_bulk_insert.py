"""The bulk insert used by ingest writes exactly what the ORM would, and counts only the rows it stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.bulk import insert_ignoring_conflicts, skip_foreign_key_checks, sqlite_utc_text
from data_access.db import session_factory, transaction
from data_access.models import AccessLogEntry, StaffAccount
from data_access.models.enums import Role
from data_access.types import UTCDateTime

ORM_SQLITE_TEXT = UTCDateTime().dialect_impl(sqlite.dialect()).bind_processor(sqlite.dialect())


@given(
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(9998, 12, 30),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-11))]
        ),
    )
)
def test_the_fast_sqlite_timestamp_text_is_the_orms(value: datetime) -> None:
    assert ORM_SQLITE_TEXT is not None
    assert sqlite_utc_text(value) == ORM_SQLITE_TEXT(value)


@given(
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(9998, 12, 30),
        timezones=st.sampled_from(
            [
                UTC,
                timezone(timedelta(hours=5, minutes=30)),
                timezone(timedelta(hours=-11)),
                timezone(timedelta(hours=1, seconds=30)),
            ]
        ),
    ).map(lambda value: value.replace(microsecond=0))
)
def test_whole_seconds_as_logs_have_them_take_the_minute_cache_and_still_agree(value: datetime) -> None:
    assert ORM_SQLITE_TEXT is not None
    assert sqlite_utc_text(value) == ORM_SQLITE_TEXT(value)


def test_a_naive_timestamp_is_refused_as_the_orm_refuses_it() -> None:
    with pytest.raises(ValueError, match="naive"):
        sqlite_utc_text(datetime(2026, 1, 1))


def test_rows_with_a_stored_key_are_skipped_and_not_counted(engine: Engine) -> None:
    ts = datetime(2026, 10, 1, 12, 30, 0, 250, tzinfo=timezone(timedelta(hours=2)))

    def row(key: str) -> dict[str, object]:
        return {"ts": ts, "client": "203.0.113.9", "path": "/", "status": 200, "line_key": key}

    with transaction(engine) as session:
        assert insert_ignoring_conflicts(session, AccessLogEntry.__table__, [row("a"), row("b")]) == 2  # type: ignore[arg-type]
    with transaction(engine) as session:
        assert insert_ignoring_conflicts(session, AccessLogEntry.__table__, [row("b"), row("c")]) == 1  # type: ignore[arg-type]
        stored = session.execute(
            select(AccessLogEntry.line_key, AccessLogEntry.ts).order_by(AccessLogEntry.line_key)
        ).all()
    assert [k for k, _ in stored] == ["a", "b", "c"]
    assert {t for _, t in stored} == {ts}  # read back through the ORM: the same instant


def _dangling_line(session: Session) -> None:
    session.add(
        AccessLogEntry(
            ts=datetime(2026, 1, 1, tzinfo=UTC), client="203.0.113.1", person_id=987_654, line_key="dangling"
        )
    )
    session.flush()


def test_foreign_key_checks_are_skipped_only_for_the_transaction_that_asked(engine: Engine) -> None:
    with session_factory(engine)() as session:
        skipped = skip_foreign_key_checks(session)
        assert skipped is (engine.dialect.name == "sqlite")  # PostgreSQL keeps its checks
        if skipped:
            _dangling_line(session)  # no person 987654: not checked in this transaction
        session.rollback()
        with pytest.raises(
            IntegrityError
        ):  # the next transaction, on the same pooled connection, checks again
            _dangling_line(session)
        session.rollback()


def test_a_transaction_that_has_written_keeps_its_checks(engine: Engine) -> None:
    with session_factory(engine)() as session:
        session.add(StaffAccount(username="x", display_name="X", role=Role.ADMIN, password_hash="-"))
        session.flush()
        assert skip_foreign_key_checks(session) is False
        with pytest.raises(IntegrityError):
            _dangling_line(session)
