"""The audit head carries a keyed seal (HMAC-SHA256 of its last id and hash)

Anyone with write access to the database can recompute an entry's SHA-256, so the chain alone let a forged entry
be appended, or the newest entries be cut off with the head moved back, unseen. The seal can only be made with
the audit key (COMPLIANCE_AUDIT_KEY), which is not in the database. Existing heads stay unsealed (NULL): a
migration must not need the secret, and `compliance audit seal` seals an intact log once after the upgrade.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head") as batch_op:
        batch_op.add_column(sa.Column("head_hmac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_head") as batch_op:
        batch_op.drop_column("head_hmac")
