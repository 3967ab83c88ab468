"""Key access_log and usage_events by (ts, key) instead of the key alone, and drop their separate ts index

The idempotency keys are SHA-1 digests, so every new line went to a random page of the key's index: at 20M
log lines that index no longer fits the cache and ingest into the large dataset ran at half its rate into the
small one. A log is written in time order, so with ts first new keys land at the end of the index. The same
line always has the same ts, so uniqueness means the same as before (PostgreSQL's partitioned tables already
needed ts in the key). The unique index leads with ts, so it also serves every time-range query: the plain
ts index is dropped, one index less to keep current per line.

On SQLite the old key was a UNIQUE constraint inside CREATE TABLE, which only a copy of the table removes: at
20M lines this migration takes minutes there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = {"access_log": "line_key", "usage_events": "event_key"}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, key in KEYS.items():
        op.drop_index(f"ix_{table}_ts", table_name=table)
        if sqlite:
            with op.batch_alter_table(table, recreate="always") as batch:
                batch.drop_constraint(f"uq_{table}_{key}", type_="unique")
        else:
            op.drop_constraint(f"uq_{table}_{key}", table, type_="unique")
        op.create_index(f"uq_{table}_ts_{key}", table, ["ts", key], unique=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, key in KEYS.items():
        op.drop_index(f"uq_{table}_ts_{key}", table_name=table)
        if sqlite:
            with op.batch_alter_table(table, recreate="always") as batch:
                batch.create_unique_constraint(f"uq_{table}_{key}", [key])
        else:
            op.create_unique_constraint(f"uq_{table}_{key}", table, [key, "ts"])  # as migration 0002 made it
        op.create_index(f"ix_{table}_ts", table, ["ts"])
