"""On PostgreSQL the log and event tables are partitioned by month; rows land in their month's partition."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from data_access.models import AccessLogEntry
from data_access.partitions import ensure_month_partitions, is_partitioned, months_between


def _line(ts: datetime, key: str) -> AccessLogEntry:
    return AccessLogEntry(ts=ts, client="198.51.100.1", path="/", status=200, line_key=key)


def test_months_between_covers_both_ends() -> None:
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_rows_land_in_their_month_partition_and_default_rows_move_there(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("partitioning is PostgreSQL's; SQLite keeps one table")
    assert is_partitioned(session, "access_log") and is_partitioned(session, "usage_events")
    session.add(_line(datetime(2031, 3, 9, 12, tzinfo=UTC), "early"))  # no partition yet: DEFAULT holds it
    session.flush()
    ensure_month_partitions(session, [date(2031, 3, 1)])
    session.add(_line(datetime(2031, 3, 31, 23, 59, tzinfo=UTC), "late"))
    session.flush()
    in_month = (
        session.execute(text("SELECT line_key FROM access_log_p2031_03 ORDER BY line_key")).scalars().all()
    )
    assert in_month == ["early", "late"]
    assert session.execute(text("SELECT count(*) FROM access_log_default")).scalar() == 0
    session.rollback()
