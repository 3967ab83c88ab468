"""Recipients register and sharing records."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import Recipient, SharingRecord, SharingRecordPerson


def recipients(*, session: Session) -> pd.DataFrame:
    r = Recipient
    return read_df(session, select(r.id, r.name, r.role, r.country, r.contract_status, r.dpa_signed_on,
                                   r.approved, r.allowed_categories).order_by(r.name))


def sharing_records(*, session: Session, limit: int = 1000) -> pd.DataFrame:
    """Sharing records, newest first, with the number of people each included."""
    s = SharingRecord
    people = select(func.count()).where(SharingRecordPerson.sharing_record_id == s.id).scalar_subquery()
    stmt = select(s.id, s.shared_at, Recipient.name.label("recipient"), Recipient.role.label("recipient_role"),
                  s.categories, s.purpose, s.legal_basis, s.consent_scope, people.label("people"),
                  s.description).join(Recipient, Recipient.id == s.recipient_id).order_by(s.shared_at.desc())
    return read_df(session, stmt, limit=limit)
