"""Portable SQL pieces that differ between SQLite and PostgreSQL, compiled per dialect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Date, Float, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


def add_counts(
    session: Session | Connection,
    table: Table,
    keys: Sequence[str],
    counts: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Add each row's counts to a rollup's row with the same keys, or insert it (INSERT .. ON
    CONFLICT DO UPDATE, whose statement class differs per dialect): how every rollup kept per write
    takes new counts. A Connection where mapper events keep a rollup, a Session elsewhere."""
    if not rows:
        return
    dialect = (session.get_bind() if isinstance(session, Session) else session).dialect
    add = (pg_insert if dialect.name == "postgresql" else sqlite_insert)(table)
    session.execute(
        add.on_conflict_do_update(
            index_elements=list(keys), set_={c: table.c[c] + add.excluded[c] for c in counts}
        ),
        list(rows),
    )


class utc_day(FunctionElement[Any]):  # noqa: N801 - reads like the SQL function it is
    """The UTC calendar day of a timestamp column (connections run in UTC on PostgreSQL)."""

    type = Date()
    inherit_cache = True
    name = "utc_day"

    def __init__(self, column: ColumnElement[Any] | Any) -> None:
        super().__init__(column)


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


class utc_month(FunctionElement[Any]):  # noqa: N801
    """'YYYY-MM' of a timestamp column, in UTC."""

    inherit_cache = True
    name = "utc_month"


def utc_month_of(at: datetime) -> str:
    """'YYYY-MM' of an instant in UTC, in Python, as utc_month computes it in SQL."""
    return f"{at.astimezone(UTC):%Y-%m}"


@compiles(utc_month, "sqlite")
def _utc_month_sqlite(element: utc_month, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(utc_month, "postgresql")
def _utc_month_postgresql(element: utc_month, compiler: Any, **kw: Any) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC'), 'YYYY-MM')"


class hours_between(FunctionElement[Any]):  # noqa: N801
    """Hours from the first timestamp to the second (fractional), on either engine."""

    type = Float()
    inherit_cache = True
    name = "hours_between"

    def __init__(self, start: ColumnElement[Any] | Any, end: ColumnElement[Any] | Any) -> None:
        super().__init__(start, end)


@compiles(hours_between, "sqlite")
def _hours_between_sqlite(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_between_postgresql(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


class not_indexed(FunctionElement[Any]):  # noqa: N801
    """The column itself, but SQLite may not use an index for this term (its documented unary "+"), so the
    planner has to reach the table another way. For joins where SQLite, lacking a cost for the correlated
    side, would otherwise drive from the larger table. Other engines plan by cost: the plain column."""

    inherit_cache = True
    name = "not_indexed"

    def __init__(self, column: ColumnElement[Any] | Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(not_indexed, "sqlite")
def _not_indexed_sqlite(element: not_indexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


@compiles(not_indexed)
def _not_indexed_other(element: not_indexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(utc_day)
@compiles(utc_month)
@compiles(hours_between)
def _generic(element: FunctionElement[Any], compiler: Any, **kw: Any) -> str:
    """A readable rendering for logs and str(); real statements use the dialect's own form above."""
    return f"{element.name}({compiler.process(element.clauses, **kw)})"
