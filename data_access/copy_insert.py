"""PostgreSQL's bulk insert for ingest: COPY into a staging table, then one INSERT .. SELECT that
skips the keys already stored, with the foreign keys checked once per chunk instead of once per row.

An executemany sent one INSERT a row (13-18k log lines a second); COPY straight into the table
cannot skip a stored key (it fails). Of the server's CPU for the INSERT .. SELECT of a chunk of log
lines, half went to the foreign-key triggers, which look up and lock the person and the batch of
every row one by one (20 -> 10 us a row without them, on the bench's file)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table


def copy_ignoring_conflicts(
    connection: Connection, table: Table, columns: Sequence[str], params: Sequence[tuple[Any, ...]]
) -> int:
    """Store the rows (tuples in `columns` order) whose unique keys are new; returns how many.

    `row_no` keeps the rows' order, so ids are given in it (a visit's exit page breaks ties by id).
    The staging table lives until the transaction ends and is emptied for each call."""
    stage, names = f"staging_{table.name}", ", ".join(f'"{name}"' for name in columns)
    connection.exec_driver_sql(  # names from the models' metadata, never from input
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT 0 AS row_no, * FROM {table.name} WITH NO DATA"
    )
    connection.exec_driver_sql(f"TRUNCATE {stage}")
    types = _column_types(connection, table, columns)
    raw = connection.connection.driver_connection
    if raw is None:  # a checked-out connection always has its driver's; the type allows None
        raise RuntimeError("COPY needs the driver's connection, and this one has none")
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {stage} (row_no, {names}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(types)
        for number, row in enumerate(params):
            copy.write_row((number, *row))
    insert = (
        f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {stage} "  # noqa: S608
        "ORDER BY row_no ON CONFLICT DO NOTHING"
    )
    if not _lock_referenced_rows(connection, table, columns, params):
        return int(connection.exec_driver_sql(insert).rowcount)  # triggers check row by row
    # No triggers but the foreign keys' are on the tables this serves. An error ends the
    # transaction, and the setting with it.
    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    stored = int(connection.exec_driver_sql(insert).rowcount)
    connection.exec_driver_sql("SET LOCAL session_replication_role = origin")
    return stored


def _lock_referenced_rows(
    connection: Connection, table: Table, columns: Sequence[str], params: Sequence[tuple[Any, ...]]
) -> bool:
    """Do what the foreign-key triggers do, once per referenced row instead of once per row stored:
    lock each row the rows name (FOR KEY SHARE, as the triggers do, so none can be deleted or
    re-keyed before this transaction ends). True when every one was found and this role may turn
    the triggers off (a superuser, or granted SET on session_replication_role): the insert then may.
    False sends the insert through the triggers, which raise on a missing key as before."""
    if not _may_skip_triggers(connection):
        return False
    for key in table.foreign_keys:
        if key.parent.name not in columns:
            continue
        at = list(columns).index(key.parent.name)
        wanted = list({row[at] for row in params if row[at] is not None})
        parent = key.column
        locked = connection.exec_driver_sql(
            f'SELECT count(*) FROM (SELECT 1 FROM ONLY "{parent.table.name}" '  # noqa: S608
            f'WHERE "{parent.name}" = ANY(%s) FOR KEY SHARE) AS locked',
            (wanted,),
        ).scalar()
        if locked != len(wanted):
            return False
    return True


def _column_types(connection: Connection, table: Table, columns: Sequence[str]) -> list[int]:
    """The type oids of row_no and the columns, which binary COPY needs: asked once per connection.
    Binary rows cost the writer 0.4 us a log line to format against 2.0 us as text."""
    info, key = connection.connection.info, ("copy_types", table.name, tuple(columns))
    if key not in info:
        found: dict[str, int] = dict(
            connection.exec_driver_sql(
                "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0",
                (table.name,),
            ).all()
        )
        info[key] = [INT4_OID, *(found[name] for name in columns)]
    return list(info[key])


INT4_OID = 23  # row_no


def _may_skip_triggers(connection: Connection) -> bool:
    """Asked once per database connection."""
    info = connection.connection.info
    if "may_skip_triggers" not in info:
        info["may_skip_triggers"] = bool(
            connection.exec_driver_sql(
                "SELECT has_parameter_privilege('session_replication_role', 'SET') "
                "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
            ).scalar()
        )
    return bool(info["may_skip_triggers"])
