"""messages.opt_out_event_id: the marketing opt-out in force when each message was sent, filled for existing rows

The Communications and Policy pages list promotional messages sent after an opt-out. Found by probing each
person's messages once per opt-out, that took 0.3 s warm and 2-3 s with a cold cache at a million people;
kept on the message (data_access.opt_out_sends), it is an index range over the few messages concerned.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from data_access.opt_out_sends import refresh_opt_out_event_ids

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("opt_out_event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch.create_foreign_key(
            "fk_messages_opt_out_event_id_preference_events",
            "preference_events",
            ["opt_out_event_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_messages_opt_out_event", ["opt_out_event_id"])
    refresh_opt_out_event_ids(Session(bind=op.get_bind()))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_opt_out_event")
        batch.drop_constraint("fk_messages_opt_out_event_id_preference_events", type_="foreignkey")
        batch.drop_column("opt_out_event_id")
