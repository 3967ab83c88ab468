"""Imports upsert: batches count updated and unchanged rows; field history names the record (issue 24)

Imports upsert by natural key: a known key with changed values updates the record (with field history), an
identical one is unchanged. The batch record keeps both counts apart from stored and rejected, so that
read = stored + updated + unchanged + rejected holds for every batch. Existing batches read 0 for both.

field_changes held a person's fields only (person_id); a register entry updated by import (a recipient's
DPA date) is not a person, so its history names the record by `record_id` in `table_name`.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rows_updated", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("rows_unchanged", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("field_changes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("field_changes", schema=None) as batch_op:
        batch_op.drop_column("record_id")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("rows_unchanged")
        batch_op.drop_column("rows_updated")
