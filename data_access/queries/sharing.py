"""Recipients register, sharing records and the consent each consent-based sharing needed."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import String, and_, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import Consent, Recipient, SharingRecord, SharingRecordPerson
from data_access.models.enums import LegalBasis


def recipients(*, session: Session) -> pd.DataFrame:
    r = Recipient
    return read_df(
        session,
        select(
            r.id,
            r.name,
            cast(r.role, String(32)).label("role"),
            r.country,
            cast(r.contract_status, String(32)).label("contract_status"),
            r.dpa_signed_on,
            r.contract_start,
            r.contract_end,
            r.approved,
            r.allowed_categories,
        ).order_by(r.name),
    )


def sharing_records(*, session: Session, limit: int = 1000) -> pd.DataFrame:
    """Sharing records, newest first, with their recipient's standing and the number of people included."""
    s, r = SharingRecord, Recipient
    people = select(func.count()).where(SharingRecordPerson.sharing_record_id == s.id).scalar_subquery()
    stmt = (
        select(
            s.id,
            s.shared_at,
            r.name.label("recipient"),
            cast(r.role, String(32)).label("recipient_role"),
            r.approved,
            cast(r.contract_status, String(32)).label("contract_status"),
            r.allowed_categories,
            s.categories,
            s.purpose,
            cast(s.legal_basis, String(32)).label("legal_basis"),
            s.consent_scope,
            people.label("people"),
            s.description,
        )
        .join(r, r.id == s.recipient_id)
        .order_by(s.shared_at.desc())
    )
    return read_df(session, stmt, limit=limit)


def consent_gaps(*, session: Session) -> pd.DataFrame:
    """People included in a consent-based sharing without a consent of that scope valid at that time."""
    s, p, c = SharingRecord, SharingRecordPerson, Consent
    valid = exists().where(
        c.person_id == p.person_id,
        c.scope == s.consent_scope,
        c.given_at <= s.shared_at,
        or_(c.withdrawn_at.is_(None), c.withdrawn_at > s.shared_at),
    )
    stmt = (
        select(
            s.id.label("sharing_record_id"),
            s.shared_at,
            Recipient.name.label("recipient"),
            s.consent_scope,
            p.person_id,
            p.consent_reference,
        )
        .join(p, p.sharing_record_id == s.id)
        .join(Recipient, Recipient.id == s.recipient_id)
        .where(and_(s.legal_basis == LegalBasis.CONSENT, ~valid))
        .order_by(s.shared_at, p.person_id)
    )
    return read_df(session, stmt)
