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
    compiled = statement.compile(dialect=session.get_bind().dialect,  # type: ignore[attr-defined]
                                 compile_kwargs={"literal_binds": True})
    wanted = set(tables)
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled.string}")).all()
        return [row[-1] for row in rows if _sqlite_full_scan(row[-1], wanted)]
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = session.execute(text(f"EXPLAIN (FORMAT JSON) {compiled.string}")).scalar()
    session.rollback()
    nodes = _walk(plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"])
    return [f"Seq Scan on {n['Relation Name']}" for n in nodes
            if n.get("Node Type") == "Seq Scan" and _base_table(n.get("Relation Name", "")) in wanted]


def _base_table(relation: str) -> str:
    """A monthly or default partition counts as its parent table."""
    for parent in LARGE_TABLES:
        if relation == f"{parent}_default" or relation.startswith(f"{parent}_p"):
            return parent
    return relation


def _sqlite_full_scan(detail: str, tables: set[str]) -> bool:
    words = detail.split()
    return len(words) >= 2 and words[0] == "SCAN" and words[1] in tables and "INDEX" not in detail


def _walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("Plans", []):
        found.extend(_walk(child))
    return found


@contextmanager
def statements_run(session: Session) -> Iterator[list[Executable]]:
    """Collect every statement the code inside the block runs on `session` (its plan is checked afterwards)."""
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
