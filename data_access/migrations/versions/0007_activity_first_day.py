"""Each person's first active day, so the Usage page's new vs returning users read an index range

Backfilled from activity_daily; from then on kept with it by ingest and rollup rebuilds.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_first_day",
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_activity_first_day_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_activity_first_day")),
    )
    op.create_index(op.f("ix_activity_first_day_first_day"), "activity_first_day", ["first_day"])
    op.execute(
        "INSERT INTO activity_first_day (person_id, first_day) "
        "SELECT person_id, MIN(day) FROM activity_daily GROUP BY person_id"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_activity_first_day_first_day"), table_name="activity_first_day")
    op.drop_table("activity_first_day")
