"""erasure_recipient_notices: each recipient told of an erasure (GDPR Art. 19, CCPA 1798.105(c)(1))

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasure_recipient_notices",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column(
            "request_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("subject_requests.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "recipient_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("recipients.id"),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exemption", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("request_id", "recipient_id", name="uq_erasure_notice_request_recipient"),
    )
    op.create_index("ix_erasure_recipient_notices_request_id", "erasure_recipient_notices", ["request_id"])
    op.create_index(
        "ix_erasure_recipient_notices_recipient_id", "erasure_recipient_notices", ["recipient_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_erasure_recipient_notices_recipient_id", "erasure_recipient_notices")
    op.drop_index("ix_erasure_recipient_notices_request_id", "erasure_recipient_notices")
    op.drop_table("erasure_recipient_notices")
