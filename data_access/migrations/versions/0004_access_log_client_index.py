"""Index access_log.client so erasure can anonymise every line from a person's IP addresses

On PostgreSQL the index is created on the partitioned parent and so on every partition.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_access_log_client", "access_log", ["client"])


def downgrade() -> None:
    op.drop_index("ix_access_log_client", table_name="access_log")
