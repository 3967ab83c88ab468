"""Storage limitation (GDPR Art. 5(1)(e)): what is past its retention, and the purge that removes it
(issue 28).

The data map states a typed rule per table (dashboard.inventory.data_map, dashboard.rules.retention); the
repository (data_access.retention) counts and removes per category. The purge removes what the check counts,
category by category, one transaction and one `retention.purge` audit entry each, so a failure leaves the
categories before it done and recorded. Closed accounts come last and are erased as a deletion request erases
(dashboard.fulfilment.erasure): their rows, then the scan for every value that identified them; a value
still found rolls the batch back (ErasureIncomplete). docs/retention.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.fulfilment.erasure import erase_keeping_invoices, scan_erased, scrub_when_committed
from dashboard.services.retention import past_retention, purged_categories
from data_access import retention as repo
from data_access.db import transaction

BATCH_ROWS = 5_000  # rows per statement: short statements, a bounded undo log
ACCOUNT_BATCH = 200  # accounts erased per scan (the scan reads every text column once for the whole batch)


@dataclass
class CategoryPurge:
    category: str
    action: str
    cutoff: datetime
    records: int = 0  # rows deleted or pseudonymised; accounts: people erased
    partitions: list[str] = field(default_factory=list)  # PostgreSQL: monthly partitions dropped whole
    rows: dict[str, int] = field(default_factory=dict)  # accounts: rows affected per table by their erasure
    kept: dict[str, int] = field(
        default_factory=dict
    )  # accounts: where the scan found a value kept on purpose
    seconds: float = 0.0

    def to_json_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "action": self.action,
            "cutoff": self.cutoff.isoformat(),
            "records": self.records,
            "partitions": self.partitions,
            "rows": self.rows,
            "kept": self.kept,
            "seconds": round(self.seconds, 3),
        }


def purge(
    *,
    engine: Engine,
    principal: Principal,
    now: datetime,
    dry_run: bool = False,
    batch: int = BATCH_ROWS,
    progress: Callable[[CategoryPurge], None] | None = None,
) -> list[CategoryPurge]:
    """Remove what the check counts at `now`, category by category (accounts last), each in its own
    transaction with its audit entry. A dry run counts and writes nothing. ErasureIncomplete from an
    account batch propagates after its category's rollback; the categories before it stay purged."""
    cutoffs = {c.name: c.cutoff for c in purged_categories(now)}
    with transaction(engine) as session:
        counted = past_retention(session, now)
    ordered = sorted(
        counted, key=lambda item: item[0].name == repo.ACCOUNTS
    )  # stable: oldest first, accounts last
    done = []
    for category, found in ordered:
        started = time.perf_counter()
        result = CategoryPurge(category.name, category.action, category.cutoff)
        if dry_run:
            result.records = found.records
        else:
            with transaction(engine) as session:
                if category.name == repo.ACCOUNTS:
                    _erase_accounts(session, category.cutoff, now, result)
                else:
                    _purge_rows(session, category.name, cutoffs, now.date(), batch, result)
                record(
                    session=session,
                    actor=principal.username,
                    role=principal.role,
                    action="retention.purge",
                    object_type="retention_category",
                    object_id=category.name,
                    details={
                        "records": result.records,
                        "cutoff": category.cutoff.isoformat(),
                        "action": result.action,
                        "period": str(category.rule.period),
                        "runs_from": category.rule.runs_from,
                        "partitions": result.partitions,
                        "rows": result.rows,
                        "kept": result.kept,
                    },
                )
        result.seconds = time.perf_counter() - started
        done.append(result)
        if progress:
            progress(result)
    return done


def _purge_rows(
    session: Session, name: str, cutoffs: dict[str, datetime], today: date, batch: int, result: CategoryPurge
) -> None:
    for partition in repo.droppable_partitions(session, name, cutoffs[name]):
        repo.drop_partition(session, name, partition)
        result.partitions.append(partition.name)
        result.records += partition.rows
    while True:
        removed = repo.purge_batch(session, name, cutoffs, today=today, limit=batch)
        result.records += removed
        if removed < batch:
            return


def _erase_accounts(session: Session, cut: datetime, now: datetime, result: CategoryPurge) -> None:
    while ids := repo.closed_accounts_past(session, cut, limit=ACCOUNT_BATCH):
        values: list[str] = []
        for person_id in ids:
            erased = erase_keeping_invoices(
                session=session, person_id=person_id, now=now, keep_day_totals=True
            )
            values.extend(erased.found.values)
            for table, n in erased.rows.items():
                result.rows[table] = result.rows.get(table, 0) + n
        _, kept = scan_erased(
            session=session, values=tuple(sorted(set(values))), unmatched_requests_kept=True
        )
        for hit in kept:
            where = f"{hit.table}.{hit.column}"
            result.kept[where] = result.kept.get(where, 0) + hit.rows
        result.records += len(ids)
    scrub_when_committed(session, result.rows)
