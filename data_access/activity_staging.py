"""The temporary table a bulk demo load stages daily activity in (dashboard.demo.bulk): chunks count
per person, pages read by day, so the rows are moved into activity_daily sorted by day at the
end."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

ACTIVITY_COLUMNS = ("day", "person_id", "requests", "events", "sessions", "duration_ms")
ACTIVITY_STAGING = "bulk_activity_staging"


def create_activity_staging(session: Session) -> None:
    session.execute(
        text(
            f"CREATE TEMPORARY TABLE {ACTIVITY_STAGING} (day DATE, person_id BIGINT, "
            "requests INTEGER, events INTEGER, sessions INTEGER, duration_ms BIGINT)"
        )
    )


def move_staged_activity(session: Session) -> None:
    """Into activity_daily in day order, then drop the staging table: rows left in person order (as the chunks
    made them) scattered each day over the whole table (usage page at 1M people, SQLite: 0.9 s -> 2.7 s)."""
    columns = ", ".join(ACTIVITY_COLUMNS)
    session.execute(
        text(
            f"INSERT INTO activity_daily ({columns}) SELECT {columns} FROM {ACTIVITY_STAGING} "  # noqa: S608
            "ORDER BY day, person_id"
        )
    )
    session.execute(text(f"DROP TABLE {ACTIVITY_STAGING}"))
