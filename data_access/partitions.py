"""Monthly range partitions of the large tables on PostgreSQL (issue 3).

`access_log` and `usage_events` are partitioned by month of `ts` on PostgreSQL, so a query
for a period touches only its months and old months can be detached or dropped whole when
their retention ends. A DEFAULT partition catches anything outside the months created;
writers call ensure_month_partitions() for the months they are about to write. SQLite has
no partitioning and needs none at the sizes it is meant for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

PARTITIONED_TABLES = ("access_log", "usage_events")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y_%m}"


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def ensure_month_partitions(
    session: Session, months: Iterable[date], tables: Iterable[str] = PARTITIONED_TABLES
) -> None:
    """Create the monthly partitions that do not exist yet (PostgreSQL only; a no-op elsewhere).

    Rows of that month already caught by the DEFAULT partition are moved into the new one,
    since PostgreSQL refuses to attach a partition whose rows the default still holds.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        if not is_partitioned(session, table):
            continue
        for month in sorted({month_start(m) for m in months}):
            name = partition_name(table, month)
            if session.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar():
                continue
            lo, hi = f"'{month:%Y-%m-%d} 00:00:00+00'", f"'{next_month(month):%Y-%m-%d} 00:00:00+00'"
            session.execute(text(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS)"))
            # Identifiers come from PARTITIONED_TABLES and dates formatted above, never from input.
            session.execute(
                text(
                    f"WITH moved AS (DELETE FROM {table}_default WHERE ts >= {lo} AND ts < {hi} "  # noqa: S608
                    f"RETURNING *) INSERT INTO {name} SELECT * FROM moved"
                )
            )
            session.execute(
                text(f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({lo}) TO ({hi})")
            )


def is_partitioned(session: Session, table: str) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return False
    return bool(
        session.execute(
            text(
                "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                "WHERE c.relname = :t"
            ),
            {"t": table},
        ).scalar()
    )
