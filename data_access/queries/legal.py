"""Legal requests from authorities and business transfers: registers, coverage and what is due."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from data_access.gateway import MAX_ROWS, read_df
from data_access.models import (
    BusinessTransfer,
    BusinessTransferPerson,
    Contact,
    LegalRequest,
    LegalRequestPerson,
)
from data_access.models.enums import DisclosureOutcome, LegalRequestType, ReviewDecision

PRODUCED = (DisclosureOutcome.ALL, DisclosureOutcome.SOME)


def legal_requests(*, session: Session) -> pd.DataFrame:
    lr = LegalRequest
    accounts = select(func.count()).where(LegalRequestPerson.legal_request_id == lr.id).scalar_subquery()
    notified = (
        select(func.count())
        .where(LegalRequestPerson.legal_request_id == lr.id, LegalRequestPerson.notified_at.is_not(None))
        .scalar_subquery()
    )
    return read_df(
        session,
        select(
            lr.id,
            lr.reference,
            lr.received_at,
            lr.authority,
            lr.jurisdiction,
            cast(lr.request_type, String(32)).label("request_type"),
            lr.legal_basis,
            lr.reviewer,
            cast(lr.review_decision, String(32)).label("review_decision"),
            lr.review_reason,
            lr.reviewed_at,
            cast(lr.outcome, String(32)).label("outcome"),
            lr.categories_disclosed,
            lr.disclosed_at,
            accounts.label("accounts"),
            notified.label("notified"),
            lr.notice_prohibited_until,
        ).order_by(lr.received_at.desc()),
    )


def disclosures_without_review(*, session: Session) -> pd.DataFrame:
    """Data produced to an authority without a recorded legal basis, a reviewer and a decision to comply
    taken before the disclosure: the policy allows disclosure only 'if required to do so by law'."""
    lr = LegalRequest
    unreviewed = or_(
        lr.legal_basis.is_(None),
        lr.reviewer.is_(None),
        lr.reviewed_at.is_(None),
        lr.review_decision.not_in([ReviewDecision.COMPLY, ReviewDecision.PARTIALLY_COMPLY]),
        and_(lr.disclosed_at.is_not(None), lr.reviewed_at > lr.disclosed_at),
    )
    return read_df(
        session,
        select(
            lr.id,
            lr.reference,
            lr.authority,
            cast(lr.request_type, String(32)).label("request_type"),
            lr.received_at,
            cast(lr.outcome, String(32)).label("outcome"),
            lr.legal_basis,
            lr.reviewer,
            cast(lr.review_decision, String(32)).label("review_decision"),
            lr.reviewed_at,
            lr.disclosed_at,
        )
        .where(lr.outcome.in_(PRODUCED), unreviewed)
        .order_by(lr.received_at),
    )


def notices_due(*, session: Session, today: date) -> pd.DataFrame:
    """People whose data was disclosed, not yet told, and no longer under a non-disclosure order: a
    reminder."""
    lr, lp = LegalRequest, LegalRequestPerson
    stmt = (
        select(
            lr.reference,
            lr.authority,
            lr.disclosed_at,
            lr.notice_prohibited_until,
            lp.person_id,
            Contact.email,
        )
        .join(lp, lp.legal_request_id == lr.id)
        .join(Contact, Contact.person_id == lp.person_id, isouter=True)
        .where(
            lr.outcome.in_(PRODUCED),
            lp.notified_at.is_(None),
            or_(lr.notice_prohibited_until.is_(None), lr.notice_prohibited_until < today),
        )
        .order_by(lr.disclosed_at)
    )
    return read_df(session, stmt)


def transparency_rows(*, session: Session) -> pd.DataFrame:
    """Per request: half-year received, type, outcome and accounts specified (the report aggregates them)."""
    lr = LegalRequest
    accounts = select(func.count()).where(LegalRequestPerson.legal_request_id == lr.id).scalar_subquery()
    return read_df(
        session,
        select(
            lr.received_at,
            cast(lr.request_type, String(32)).label("request_type"),
            cast(lr.outcome, String(32)).label("outcome"),
            accounts.label("accounts"),
        ),
    )


def business_transfers(*, session: Session) -> pd.DataFrame:
    bt, btp = BusinessTransfer, BusinessTransferPerson
    notified = func.sum(case((btp.notified_at.is_not(None), 1), else_=0))
    return read_df(
        session,
        select(
            bt.id,
            cast(bt.event, String(32)).label("event"),
            bt.counterparty,
            bt.effective_date,
            func.count(btp.person_id).label("affected"),
            func.coalesce(notified, 0).label("notified"),
        )
        .join(btp, btp.transfer_id == bt.id, isouter=True)
        .group_by(bt.id, bt.event, bt.counterparty, bt.effective_date)
        .order_by(bt.effective_date),
    )


def transfer_not_notified(*, session: Session, today: date, limit: int = MAX_ROWS) -> pd.DataFrame:
    """People affected by a transfer already in effect who were never told of the change in ownership."""
    bt, btp = BusinessTransfer, BusinessTransferPerson
    return read_df(
        session,
        select(bt.id.label("transfer_id"), bt.counterparty, bt.effective_date, btp.person_id, Contact.email)
        .join(btp, btp.transfer_id == bt.id)
        .join(Contact, Contact.person_id == btp.person_id, isouter=True)
        .where(btp.notified_at.is_(None), bt.effective_date <= today)
        .order_by(bt.effective_date, btp.person_id)
        .limit(limit),
        limit=limit,
    )


def national_security_ids(*, session: Session) -> set[str]:
    """The ids of national security requests, as audit entries name their object (text)."""
    ids = session.execute(
        select(LegalRequest.id).where(LegalRequest.request_type == LegalRequestType.NATIONAL_SECURITY)
    ).scalars()
    return {str(i) for i in ids}
