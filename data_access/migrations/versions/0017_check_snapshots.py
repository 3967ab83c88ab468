"""check_snapshots: each policy check's verdict per day, for the Overview's twelve-month trend

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_snapshots",
        sa.Column("as_of", sa.Date(), primary_key=True),
        sa.Column("check_key", sa.String(64), primary_key=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("evidence_rows", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("check_snapshots")
