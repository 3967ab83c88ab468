"""Scan every text column of every table for given values: the proof that an erasure left nothing behind.

A full scan by design (LIKE on every text column): it must find a value wherever it hides, in
free text, JSON or a rejected import line, not only where an index says it should be. LIKE finds
candidates; a value counts only as a whole token, so 198.51.100.21 is not found in 198.51.100.210
(someone else's address) nor "Ann Lee" in "Ann Leeds". Rows the caller keeps on purpose (`kept`: a predicate
per table) are still found, and reported apart, so what is kept is always said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import JSON, ColumnElement, String, Text, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from data_access.models import Base

SKIPPED_TABLES = frozenset({"alembic_version"})
# Above this many values (the retention purge scans a batch of accounts at once), one LIKE per value
# per row costs more than reading each text once and matching every value in one pass: 650 values
# over the demo took 138 s as LIKEs and (measured, docs/retention.md) a few seconds read once.
MANY_VALUES = 64
READ_ROWS = 10_000  # rows fetched at a time when reading texts once


@dataclass(frozen=True)
class ScanHit:
    table: str
    column: str
    rows: int
    kept: bool = False  # in rows the caller's `kept` predicate covers


def scan_for_values(
    *, session: Session, values: tuple[str, ...], kept: Mapping[str, ColumnElement[bool]] | None = None
) -> list[ScanHit]:
    """Every (table, column) where any of `values` occurs, case-insensitively, with the number of
    rows; hits in rows matching `kept[table]` come as separate hits marked kept."""
    needles = [value.lower() for value in values if value]
    if not needles:
        return []
    if len(needles) > MANY_VALUES:
        return _scan_reading_once(session, needles, kept or {})
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
            candidates: list[tuple[str, int, int]]
            if kept and table.name in kept:
                is_kept = case((kept[table.name], 1), else_=0).label("kept")
                candidates = [
                    (value, flag, count)
                    for value, flag, count in session.execute(
                        select(text, is_kept, func.count())
                        .select_from(table)
                        .where(matched)
                        .group_by(text, is_kept)
                    )
                ]
            else:
                candidates = [
                    (value, 0, count)
                    for value, count in session.execute(
                        select(text, func.count()).select_from(table).where(matched).group_by(text)
                    )
                ]
            for kept_rows in (0, 1):
                rows = sum(
                    count
                    for value, flag, count in candidates
                    if flag == kept_rows and any(p.search(value) for p in patterns)
                )
                if rows:
                    hits.append(ScanHit(table.name, column.name, rows, kept=bool(kept_rows)))
    return hits


def _scan_reading_once(
    session: Session, needles: list[str], kept: Mapping[str, ColumnElement[bool]]
) -> list[ScanHit]:
    """The same hits as the LIKE scan, for many values: each text read once (lower-cased by the
    database, as there) and matched against all values at once by one pattern built as a trie, so
    its cost does not grow with their number."""
    matcher = re.compile(rf"(?<![\w.:@-])(?:{_trie_pattern(sorted(set(needles)))})(?![\w.:@-])")
    hits: list[ScanHit] = []
    for table in Base.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        is_kept = case((kept[table.name], 1), else_=0) if table.name in kept else literal(0)
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            text = func.lower(cast(column, Text()))
            counts = [0, 0]
            rows = session.execute(
                select(text, is_kept)
                .select_from(table)
                .where(column.is_not(None))
                .execution_options(yield_per=READ_ROWS)
            )
            for value, flag in rows:
                if value and matcher.search(value):
                    counts[flag] += 1
            hits += [
                ScanHit(table.name, column.name, n, kept=bool(flag)) for flag, n in enumerate(counts) if n
            ]
    return hits


def _trie_pattern(words: list[str]) -> str:
    """An alternation of `words` that branches one character at a time (a trie), so that matching at
    a position follows one branch instead of trying every word."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return pattern(trie)


def _token(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.:@-]){re.escape(needle)}(?![\w.:@-])")
