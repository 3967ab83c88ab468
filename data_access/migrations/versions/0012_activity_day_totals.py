"""activity_daily summed per day, so the Usage page's daily active users read one row per day

At 1M people the daily figures summed 90 days of activity_daily, one row per person and active day (0.25 s on
SQLite, and growing with people). Backfilled here; from then on kept with activity_daily by ingest, rollup
rebuilds, the bulk loader and erasure. A country filter still sums activity_daily joined to people.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_day_totals",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("active_users", sa.Integer(), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("sessions", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_activity_day_totals")),
    )
    op.execute(
        "INSERT INTO activity_day_totals (day, active_users, requests, events, sessions, duration_ms) "
        "SELECT day, COUNT(*), SUM(requests), SUM(events), SUM(sessions), SUM(duration_ms) "
        "FROM activity_daily GROUP BY day"
    )


def downgrade() -> None:
    op.drop_table("activity_day_totals")
