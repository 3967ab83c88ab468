"""people.closed_at and people.litigation_hold: when an account's retention starts, and a hold that stops it (issue 28)

An account's data is kept 30 days after its closure (docs/retention.md); the closure's date was not recorded, only
the status. Accounts closed before this migration have no date: the purge reads their last update instead. A
litigation hold keeps everything of a person past every period.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("litigation_hold", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("litigation_hold")
        batch_op.drop_column("closed_at")
