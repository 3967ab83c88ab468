"""The registers of a reporting period, read as they stood at its end ("as of"), for exports and reports.

Subject requests take their status from their timeline (the last transition at or before the end),
so a report for a past period shows what was true then, not what is true now. Registers without a
history of their own (sharing, disclosures) are cut by their own dates.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import (
    AuditEntry,
    Contact,
    LegalRequest,
    LegalRequestPerson,
    PreferenceEvent,
    Recipient,
    SharingRecord,
    SharingRecordPerson,
    SubjectRequest,
    SubjectRequestEvent,
)
from data_access.models.enums import PreferenceStatus

EXPORT_LIMIT = 1_000_000


def requests_as_of(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    """Requests received before `until` and open at `since` or later, with their status at `until`, and the
    matched person (shown to auditors as the person's pseudonym, to follow into the other registers)."""
    r, e = SubjectRequest, SubjectRequestEvent
    last_change = (
        select(e.request_id, func.max(e.id).label("event_id"))
        .where(e.at < until, e.to_status.is_not(None))
        .group_by(e.request_id)
        .subquery()
    )
    latest = select(e.id, e.to_status).subquery()
    status = func.coalesce(latest.c.to_status, "received").label("status_as_of")
    stmt = (
        select(
            r.reference,
            cast(r.request_type, String(32)).label("request_type"),
            r.regime,
            cast(r.channel, String(32)).label("channel"),
            r.requester_name,
            r.requester_email,
            r.person_id,
            r.received_at,
            r.due_date,
            r.extended_due_date,
            status,
            r.closed_at,
        )
        .outerjoin(last_change, last_change.c.request_id == r.id)
        .outerjoin(latest, latest.c.id == last_change.c.event_id)
        .where(r.received_at < until, r.closed_at.is_(None) | (r.closed_at >= since))
        .order_by(r.received_at)
    )
    frame = read_df(session, stmt, limit=EXPORT_LIMIT)
    frame.loc[
        frame["closed_at"].notna() & (pd.to_datetime(frame["closed_at"], utc=True) >= until), "closed_at"
    ] = None
    return frame


def opt_outs_in(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    e = PreferenceEvent
    return read_df(
        session,
        select(
            e.person_id,
            Contact.email,
            cast(e.channel, String(32)).label("channel"),
            cast(e.purpose, String(32)).label("purpose"),
            cast(e.source, String(32)).label("source"),
            e.rule,
            e.received_at,
            e.honour_by,
            e.honoured_at,
        )
        .join(Contact, Contact.person_id == e.person_id, isouter=True)
        .where(e.new_status == PreferenceStatus.OPTED_OUT, e.received_at >= since, e.received_at < until)
        .order_by(e.received_at),
        limit=EXPORT_LIMIT,
    )


def sharing_in(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    s = SharingRecord
    people = select(func.count()).where(SharingRecordPerson.sharing_record_id == s.id).scalar_subquery()
    return read_df(
        session,
        select(
            s.id,
            s.shared_at,
            Recipient.name.label("recipient"),
            cast(Recipient.role, String(32)).label("recipient_role"),
            s.categories,
            s.purpose,
            cast(s.legal_basis, String(32)).label("legal_basis"),
            s.consent_scope,
            people.label("people"),
            s.description,
        )
        .join(Recipient, Recipient.id == s.recipient_id)
        .where(s.shared_at >= since, s.shared_at < until)
        .order_by(s.shared_at),
        limit=EXPORT_LIMIT,
    )


def disclosures_in(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    lr = LegalRequest
    accounts = select(func.count()).where(LegalRequestPerson.legal_request_id == lr.id).scalar_subquery()
    return read_df(
        session,
        select(
            lr.reference,
            lr.received_at,
            lr.authority,
            lr.jurisdiction,
            cast(lr.request_type, String(32)).label("request_type"),
            lr.legal_basis,
            lr.reviewer,
            cast(lr.review_decision, String(32)).label("review_decision"),
            lr.reviewed_at,
            cast(lr.outcome, String(32)).label("outcome"),
            lr.categories_disclosed,
            lr.disclosed_at,
            accounts.label("accounts"),
            lr.notice_prohibited_until,
        )
        .where(lr.received_at >= since, lr.received_at < until)
        .order_by(lr.received_at),
        limit=EXPORT_LIMIT,
    )


def audit_in(*, session: Session, since: datetime, until: datetime) -> pd.DataFrame:
    a = AuditEntry
    return read_df(
        session,
        select(
            a.id,
            a.at,
            a.actor,
            a.role,
            a.action,
            a.object_type,
            a.object_id,
            a.details,
            a.prev_hash,
            a.entry_hash,
        )
        .where(a.at >= since, a.at < until)
        .order_by(a.id),
        limit=EXPORT_LIMIT,
    )
