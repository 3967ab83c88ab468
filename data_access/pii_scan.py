"""Scan every text column of every table for given values: the proof that an erasure left nothing behind.

A full scan by design (LIKE on every text column): it must find a value wherever it hides, in
free text, JSON or a rejected import line, not only where an index says it should be. LIKE finds
candidates; a value counts only as a whole token, so 198.51.100.21 is not found in 198.51.100.210
(someone else's address) nor "Ann Lee" in "Ann Leeds".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import JSON, String, Text, cast, func, or_, select
from sqlalchemy.orm import Session

from data_access.models import Base

SKIPPED_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True)
class ScanHit:
    table: str
    column: str
    rows: int


def scan_for_values(*, session: Session, values: tuple[str, ...]) -> list[ScanHit]:
    """Every (table, column) where any of `values` occurs, case-insensitively, with the number of rows."""
    needles = [value.lower() for value in values if value]
    if not needles:
        return []
    patterns = [_token(needle) for needle in needles]
    hits: list[ScanHit] = []
    for table in Base.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            text = func.lower(cast(column, Text())).label("text")
            matched = or_(*(text.contains(needle, autoescape=True) for needle in needles))
            candidates = session.execute(select(text, func.count()).select_from(table).where(matched)
                                         .group_by(text)).all()
            rows = sum(count for value, count in candidates if any(p.search(value) for p in patterns))
            if rows:
                hits.append(ScanHit(table.name, column.name, rows))
    return hits


def _token(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.:@-]){re.escape(needle)}(?![\w.:@-])")
