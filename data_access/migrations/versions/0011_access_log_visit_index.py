"""Index access_log by (client, ts) instead of client alone: ingest keeps exit pages current per visit

A visit is one client and user agent on one UTC day, its exit page the path of its last line. Ingest used to
recompute the exit pages of every day a file touched from all of that day's lines: 3.4 s of a 200k-line import
into the 20M-line dataset, growing with the lines already stored. With ts after client, the last line of one
visit is an index seek, so ingest looks up only the visits it added lines to (data_access.rollups
.add_exit_page_changes). Erasure's lookup of every line from an IP address uses the same index by its prefix.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_access_log_client", table_name="access_log")
    op.create_index("ix_access_log_client_ts", "access_log", ["client", "ts"])


def downgrade() -> None:
    op.drop_index("ix_access_log_client_ts", table_name="access_log")
    op.create_index("ix_access_log_client", "access_log", ["client"])
