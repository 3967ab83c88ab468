"""Partition access_log and usage_events by month on PostgreSQL

On PostgreSQL a partitioned table's primary key and unique constraints must include the
partition column, so there the primary key is (id, ts) and the idempotency keys are unique
together with ts (the same line always has the same ts, so nothing changes in meaning).
SQLite is left as it is. See data_access/partitions.py.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {
    "access_log": ("line_key", [("ix_access_log_ts", "ts"), ("ix_access_log_person_ts", "person_id, ts")]),
    "usage_events": (
        "event_key",
        [("ix_usage_events_ts", "ts"), ("ix_usage_events_person_ts", "person_id, ts")],
    ),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (key, indexes) in TABLES.items():
        _swap(table, key, indexes, partitioned=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (key, indexes) in TABLES.items():
        _swap(table, key, indexes, partitioned=False)


def _swap(table: str, key: str, indexes: list[tuple[str, str]], *, partitioned: bool) -> None:
    """Rebuild `table` as partitioned (or back to plain), keeping its rows, sequence and foreign keys."""
    old = f"{table}_unpartitioned"
    op.execute(f"ALTER SEQUENCE {table}_id_seq OWNED BY NONE")
    op.execute(f"ALTER TABLE {table} RENAME TO {old}")
    for name, _ in indexes:
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_old")
    op.execute(f"ALTER TABLE {old} RENAME CONSTRAINT pk_{table} TO pk_{table}_old")
    op.execute(f"ALTER TABLE {old} RENAME CONSTRAINT uq_{table}_{key} TO uq_{table}_{key}_old")
    for fk in ("person_id_people", "batch_id_import_batches"):
        op.execute(f"ALTER TABLE {old} RENAME CONSTRAINT fk_{table}_{fk} TO fk_{table}_{fk}_old")
    suffix = " PARTITION BY RANGE (ts)" if partitioned else ""
    keys = "id, ts" if partitioned else "id"
    unique = f"{key}, ts" if partitioned else key
    op.execute(
        f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS, "
        f"CONSTRAINT pk_{table} PRIMARY KEY ({keys}), CONSTRAINT uq_{table}_{key} UNIQUE ({unique}), "
        f"CONSTRAINT fk_{table}_person_id_people FOREIGN KEY (person_id) REFERENCES people (id) ON DELETE SET NULL, "
        f"CONSTRAINT fk_{table}_batch_id_import_batches FOREIGN KEY (batch_id) REFERENCES import_batches (id) "
        f"ON DELETE SET NULL){suffix}"
    )
    if partitioned:
        op.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
        _month_partitions_for_rows(table, old)
    for name, columns in indexes:
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})")
    op.execute(f"INSERT INTO {table} SELECT * FROM {old}")
    op.execute(f"DROP TABLE {old} CASCADE")
    op.execute(f"ALTER SEQUENCE {table}_id_seq OWNED BY {table}.id")


def _month_partitions_for_rows(table: str, source: str) -> None:
    op.execute(f"""
        DO $$
        DECLARE m date;
        BEGIN
          FOR m IN SELECT DISTINCT date_trunc('month', ts AT TIME ZONE 'UTC')::date FROM {source} LOOP
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF {table} FOR VALUES FROM (%L) TO (%L)',
                           '{table}_p' || to_char(m, 'YYYY_MM'), m::text || ' 00:00:00+00',
                           (m + interval '1 month')::date::text || ' 00:00:00+00');
          END LOOP;
        END $$""")
