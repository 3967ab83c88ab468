"""security_incidents and incident_people: the register of personal data breaches (issue 28)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "security_incidents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aware_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("systems", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("risk", sa.String(32), nullable=False),
        sa.Column("risk_reasoning", sa.Text(), nullable=False),
        sa.Column("containment", sa.Text(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("authority_notices", sa.JSON(), nullable=False),
        sa.Column("delay_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_security_incidents"),
        sa.UniqueConstraint("reference", name="uq_security_incidents_reference"),
    )
    op.create_index("ix_security_incidents_aware_at", "security_incidents", ["aware_at"])
    op.create_table(
        "incident_people",
        sa.Column("incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["security_incidents.id"],
            ondelete="CASCADE",
            name="fk_incident_people_incident_id_security_incidents",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], ondelete="CASCADE", name="fk_incident_people_person_id_people"
        ),
        sa.PrimaryKeyConstraint("incident_id", "person_id", name="pk_incident_people"),
    )
    op.create_index("ix_incident_people_person_id", "incident_people", ["person_id"])
    op.create_index("ix_incident_people_incident_notified", "incident_people", ["incident_id", "notified_at"])


def downgrade() -> None:
    op.drop_index("ix_incident_people_incident_notified", table_name="incident_people")
    op.drop_index("ix_incident_people_person_id", table_name="incident_people")
    op.drop_table("incident_people")
    op.drop_index("ix_security_incidents_aware_at", table_name="security_incidents")
    op.drop_table("security_incidents")
