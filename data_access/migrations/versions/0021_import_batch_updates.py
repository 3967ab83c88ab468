"""Import batches count the rows that updated a stored record and the rows that changed nothing (issue 24)

Imports upsert by natural key: a known key with changed values updates the record (with field history), an
identical one is unchanged. The batch record keeps both counts apart from stored and rejected, so that
read = stored + updated + unchanged + rejected holds for every batch. Existing batches read 0 for both.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rows_updated", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("rows_unchanged", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("rows_unchanged")
        batch_op.drop_column("rows_updated")
