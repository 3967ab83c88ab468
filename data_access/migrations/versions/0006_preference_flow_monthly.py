"""Opt-out report at scale: a monthly preference flow, and indexes to read opt-outs and GPC signals by time

The rates read the flow instead of replaying the whole preference history; it is backfilled here and from
then on kept current by every recorded preference change.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from data_access.preference_flow import rebuild_preference_flow

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "preference_flow_monthly",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month", "channel", "purpose", "from_status", "to_status", name=op.f("pk_preference_flow_monthly")
        ),
    )
    rebuild_preference_flow(Session(bind=op.get_bind()))
    op.create_index(
        "ix_preference_events_status_received",
        "preference_events",
        ["new_status", "received_at", "honour_deadline_at", "honoured_at", "rule", "channel"],
    )
    op.create_index("ix_preference_events_source_received", "preference_events", ["source", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_preference_events_source_received", table_name="preference_events")
    op.drop_index("ix_preference_events_status_received", table_name="preference_events")
    op.drop_table("preference_flow_monthly")
