"""`compliance demo`: fill every entity with deterministic demo data, in one transaction.

The same seed and end time give the same data. Rows are built in memory per area and
written in chunks with executemany, so the default size loads in a few seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.demo.activity import build_activity
from dashboard.demo.comms import add_transactional, build_comms
from dashboard.demo.context import DemoContext, default_end
from dashboard.demo.incidents import build_incidents
from dashboard.demo.people import build_invoices, build_people
from dashboard.demo.registers import build_registers
from dashboard.demo.requests import build_requests
from dashboard.demo.staff import demo_staff_rows
from data_access.bulk import insert_rows, reset_sequences
from data_access.db import transaction
from data_access.opt_out_sends import refresh_opt_out_sends
from data_access.optout_honour import rebuild_optout_honour
from data_access.partitions import ensure_month_partitions, months_between
from data_access.preference_flow import rebuild_preference_flow
from data_access.queries.people import any_person_stored
from data_access.rollups import rebuild_rollups

# Parents before children, so foreign keys hold at every insert.
TABLE_ORDER = [
    "people",
    "contacts",
    "billing_profiles",
    "identifiers",
    "invoices",
    "access_log",
    "usage_events",
    "comm_preferences",
    "preference_events",
    "consents",
    "messages",
    "recipients",
    "sharing_records",
    "sharing_record_people",
    "legal_requests",
    "legal_request_people",
    "business_transfers",
    "business_transfer_people",
    "policy_versions",
    "policy_notifications",
    "subject_requests",
    "subject_request_events",
    "staff_accounts",
    "url_pii_findings",
    "security_incidents",
    "incident_people",
]


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class DatabaseNotEmpty(RuntimeError):
    """Demo data is only loaded into an empty database, so real data is never mixed with it."""


def database_is_empty(session: Session) -> bool:
    return not any_person_stored(session)


def load_demo(
    engine: Engine,
    *,
    users: int = 2000,
    days: int = 180,
    seed: int = 7,
    end: datetime | None = None,
    clean: bool = False,
) -> DemoSummary:
    """Build and write the whole demo dataset in one transaction; refuses a non-empty database."""
    started = time.perf_counter()
    ctx = DemoContext(seed=seed, n_users=users, days=days, end=end or default_end(), clean=clean)
    rows = build_people(ctx)
    rows |= build_invoices(ctx)
    rows |= build_activity(ctx)
    rows |= build_comms(ctx)
    add_transactional(ctx, rows, rows["invoices"])
    rows |= build_registers(ctx, [c["person_id"] for c in rows["consents"]])
    rows |= build_requests(ctx)
    rows["staff_accounts"] = demo_staff_rows()
    rows |= build_incidents(ctx)
    summary = DemoSummary()
    with transaction(engine) as session:
        if not database_is_empty(session):
            raise DatabaseNotEmpty("the database already holds people; demo data goes only into an empty one")
        ensure_month_partitions(session, months_between(ctx.start.date(), ctx.end.date()))
        for table in TABLE_ORDER:
            summary.counts[table] = insert_rows(session, table, rows.get(table, []))
        reset_sequences(session, TABLE_ORDER)
        rebuild_rollups(session=session, first=ctx.start.date(), last=ctx.end.date())
        rebuild_preference_flow(session)
        rebuild_optout_honour(session)
        refresh_opt_out_sends(session)
    summary.seconds = time.perf_counter() - started
    return summary
