"""Index the dates consents, policy notifications and field history count their retention from
(issue 28)

The retention check and purge (data_access/retention.py) count and pick these tables' rows by
`withdrawn_at`, `notified_at` and `changed_at` before a cutoff; with no index on them each count
read the whole table (a policy notification per person per version: millions of rows at a million
people). Every category's count and batch also leaves out the people under litigation hold, which
read the whole people table for a few rows: a partial index holds just them.

Revision ID: 0024 Revises: 0023 Create Date: 2026-12-06"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_consents_withdrawn_at": ("consents", "withdrawn_at"),
    "ix_policy_notifications_notified_at": ("policy_notifications", "notified_at"),
    "ix_field_changes_changed_at": ("field_changes", "changed_at"),
}


def upgrade() -> None:
    for name, (table, column) in INDEXES.items():
        op.create_index(name, table, [column])
    op.create_index(
        "ix_people_litigation_hold",
        "people",
        ["id"],
        sqlite_where=sa.text("litigation_hold IS 1"),
        postgresql_where=sa.text("litigation_hold IS true"),
    )


def downgrade() -> None:
    op.drop_index("ix_people_litigation_hold", table_name="people")
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
