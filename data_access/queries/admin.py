"""Staff accounts and import batches, for the Admin and Import pages."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import AuditEntry, ImportBatch, RejectedRow, StaffAccount


def staff_accounts(*, session: Session) -> pd.DataFrame:
    s = StaffAccount
    return read_df(
        session,
        select(
            s.username,
            s.display_name,
            cast(s.role, String(32)).label("role"),
            s.email,
            s.disabled,
            s.is_demo,
            s.locked_until,
            s.last_login_at,
            s.created_at,
        ).order_by(s.username),
    )


def import_batches(*, session: Session, limit: int = 200) -> pd.DataFrame:
    b = ImportBatch
    return read_df(
        session,
        select(
            b.id,
            b.kind,
            b.source_name,
            b.status,
            b.rows_read,
            b.rows_stored,
            b.rows_updated,
            b.rows_unchanged,
            b.rows_rejected,
            b.rows_duplicate,
            b.created_by,
            b.started_at,
        ).order_by(b.id.desc()),
        limit=limit,
    )


def audit_search(
    *,
    session: Session,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """Audit entries, newest first, filtered by actor, action (prefix, e.g. 'request.') and time."""
    a = AuditEntry
    stmt = select(a.id, a.at, a.actor, a.role, a.action, a.object_type, a.object_id, a.details, a.entry_hash)
    if actor:
        stmt = stmt.where(a.actor == actor)
    if action:
        stmt = stmt.where(a.action.startswith(action, autoescape=True))
    if since is not None:
        stmt = stmt.where(a.at >= since)
    if until is not None:
        stmt = stmt.where(a.at < until)
    return read_df(session, stmt.order_by(a.id.desc()), limit=limit)


def audit_actions(*, session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def rejected_rows(*, session: Session, batch_id: int, limit: int = 10_000) -> pd.DataFrame:
    r = RejectedRow
    return read_df(
        session,
        select(r.line_no, r.field, r.reason, r.raw).where(r.batch_id == batch_id).order_by(r.line_no),
        limit=limit,
    )
