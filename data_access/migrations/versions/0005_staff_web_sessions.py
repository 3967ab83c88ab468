"""Staff web sessions: password sign-ins that survive a refresh, held in an HttpOnly cookie

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_web_sessions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("staff_account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_account_id"],
            ["staff_accounts.id"],
            name=op.f("fk_staff_web_sessions_staff_account_id_staff_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_web_sessions")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_staff_web_sessions_token_sha256")),
    )
    op.create_index(
        op.f("ix_staff_web_sessions_staff_account_id"), "staff_web_sessions", ["staff_account_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_staff_web_sessions_staff_account_id", table_name="staff_web_sessions")
    op.drop_table("staff_web_sessions")
