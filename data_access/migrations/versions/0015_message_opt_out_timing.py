"""messages.opt_out_timing: where a message sent under an opt-out falls against it, kept with the message

The Communications page counted violations by reading, for each of the 1,412 messages sent under an opt-out at
1M people, the opt-out and the person's contact details: one table page each, 0.2 s of its first render when
the pages were not cached. The timing is fixed once the message and the opt-out exist, so it is kept beside
opt_out_event_id by the same refresh (data_access.opt_out_sends), filled here for existing rows, and the
partial index over those messages carries it: counts by channel, campaign and timing read the index alone.
On PostgreSQL the rows this fills are then vacuumed: until their pages are marked all-visible an index-only scan
still visits each row (1,389 heap fetches, 0.14 s read cold at 1M people), and so few dead rows among all the
messages would not bring autovacuum soon.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from data_access.opt_out_sends import refresh_opt_out_sends

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNDER_OPT_OUT = sa.text("opt_out_event_id IS NOT NULL")
COLUMNS = ["opt_out_event_id", "sent_at", "kind", "person_id", "channel", "campaign", "id"]


def upgrade() -> None:
    op.add_column("messages", sa.Column("opt_out_timing", sa.String(32), nullable=True))
    refresh_opt_out_sends(Session(bind=op.get_bind()))
    op.drop_index("ix_messages_under_opt_out", table_name="messages")
    op.create_index(
        "ix_messages_under_opt_out",
        "messages",
        [*COLUMNS, "opt_out_timing"],
        sqlite_where=UNDER_OPT_OUT,
        postgresql_where=UNDER_OPT_OUT,
    )
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():  # VACUUM cannot run inside a transaction
            op.execute("VACUUM (ANALYZE) messages")
    else:
        op.execute("ANALYZE messages")


def downgrade() -> None:
    op.drop_index("ix_messages_under_opt_out", table_name="messages")
    op.create_index(
        "ix_messages_under_opt_out",
        "messages",
        COLUMNS,
        sqlite_where=UNDER_OPT_OUT,
        postgresql_where=UNDER_OPT_OUT,
    )
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("opt_out_timing")
