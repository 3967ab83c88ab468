"""Query-plan checks: a statement must reach the large tables through an index, never a full scan.

SQLite: EXPLAIN QUERY PLAN lines "SCAN <table>" without an index. PostgreSQL: EXPLAIN with
sequential scans disabled, so the plan shows whether an index *can* serve the query even on
the tiny test tables (where a sequential scan would otherwise be the cheaper choice).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Executable, text
from sqlalchemy.orm import Session

LARGE_TABLES = ("access_log", "usage_events")


def full_scans(session: Session, statement: Executable, tables: Iterable[str] = LARGE_TABLES) -> list[str]:
    """The tables among `tables` that the plan of `statement` reads with a full scan."""
    wanted = set(tables)
    if session.get_bind().dialect.name == "sqlite":
        return [step for step in _sqlite_steps(session, statement) if _sqlite_full_scan(step, wanted)]
    return [
        f"Seq Scan on {n['Relation Name']}"
        for n in _postgresql_nodes(session, statement)
        if n.get("Node Type") == "Seq Scan" and _base_table(n.get("Relation Name", "")) in wanted
    ]


def index_reads(session: Session, statement: Executable, table: str) -> list[tuple[str, bool]]:
    """(index, whether the table's rows are left unvisited) for each index the plan of `statement`
    reads `table` through. On PostgreSQL an index-only scan also needs a vacuumed table, which a
    test's table is not, so there the second item says only what the planner chose."""
    if session.get_bind().dialect.name == "sqlite":
        steps = [step.split() for step in _sqlite_steps(session, statement)]
        return [
            (words[words.index("INDEX") + 1], "COVERING" in words)
            for words in steps
            if words[1:2] == [table] and "INDEX" in words
        ]
    return [
        (n["Index Name"], n["Node Type"] == "Index Only Scan")
        for n in _postgresql_nodes(session, statement)
        if "Index Name" in n and n.get("Relation Name") == table
    ]


def _compiled(session: Session, statement: Executable) -> str:
    return str(
        statement.compile(
            dialect=session.get_bind().dialect,  # type: ignore[attr-defined]
            compile_kwargs={"literal_binds": True},
        )
    )


def _sqlite_steps(session: Session, statement: Executable) -> list[str]:
    return [row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {_compiled(session, statement)}"))]


def _postgresql_nodes(session: Session, statement: Executable) -> list[dict[str, Any]]:
    """The plan's nodes with sequential scans disabled (see the module's docstring)."""
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = session.execute(text(f"EXPLAIN (FORMAT JSON) {_compiled(session, statement)}")).scalar()
    session.rollback()
    return _walk(plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"])


def _base_table(relation: str) -> str:
    """A monthly or default partition counts as its parent table."""
    for parent in LARGE_TABLES:
        if relation == f"{parent}_default" or relation.startswith(f"{parent}_p"):
            return parent
    return relation


def _sqlite_full_scan(detail: str, tables: set[str]) -> bool:
    words = detail.split()
    return len(words) >= 2 and words[0] == "SCAN" and words[1] in tables and "INDEX" not in detail


def _walk(node: dict[str, Any], heap: str | None = None) -> list[dict[str, Any]]:
    """Every node; a bitmap index scan (which names no table) gets the table of the heap scan
    above it."""
    if node.get("Node Type") == "Bitmap Index Scan" and heap is not None:
        node = {**node, "Relation Name": heap}
    below = (
        node.get("Relation Name")
        if node.get("Node Type") == "Bitmap Heap Scan"
        else heap
        if node.get("Node Type") in ("BitmapAnd", "BitmapOr")
        else None
    )
    found = [node]
    for child in node.get("Plans", []):
        found.extend(_walk(child, below))
    return found


@contextmanager
def statements_run(session: Session) -> Iterator[list[Executable]]:
    """Collect every statement the code inside the block runs on `session` (its plan is checked
    afterwards)."""
    captured: list[Executable] = []
    originals = {name: getattr(session, name) for name in ("execute", "scalars", "scalar")}

    def capturing(name: str) -> Any:
        def capture(statement: Executable, *args: Any, **kwargs: Any) -> Any:
            if not kwargs.get("params") and not args:  # not executemany writes
                captured.append(statement)
            return originals[name](statement, *args, **kwargs)

        return capture

    for name in originals:
        setattr(session, name, capturing(name))
    try:
        yield captured
    finally:
        for name, original in originals.items():
            setattr(session, name, original)
