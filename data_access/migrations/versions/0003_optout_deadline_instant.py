"""Opt-out events keep the instant their legal deadline ends

`honour_by` is a date in the controller's time zone; comparing it with UTC timestamps in SQL
would be off by the zone offset near midnight. `honour_deadline_at` is the instant that date
ends (computed by dashboard.rules.deadlines.OptOutDeadline.ends_at). Existing rows are
back-filled in the zone named by COMPLIANCE_TZ (default UTC), as the app computes it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from dashboard.settings import get_settings
from data_access.types import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("preference_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("honour_deadline_at", sa.DateTime(timezone=True), nullable=True))
    _backfill()


def _backfill() -> None:
    zone = ZoneInfo(get_settings().controller_tz)
    events = sa.table(
        "preference_events",
        sa.column("id", sa.Integer),
        sa.column("honour_by", sa.Date),
        sa.column("honour_deadline_at", UTCDateTime()),
    )
    connection = op.get_bind()
    days = connection.execute(sa.select(events.c.honour_by).where(events.c.honour_by.is_not(None)).distinct())
    for (day,) in days.fetchall():
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        ends = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
        connection.execute(events.update().where(events.c.honour_by == day).values(honour_deadline_at=ends))


def downgrade() -> None:
    with op.batch_alter_table("preference_events", schema=None) as batch_op:
        batch_op.drop_column("honour_deadline_at")
