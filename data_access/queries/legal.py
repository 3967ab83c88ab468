"""Legal requests from authorities and business transfers."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import BusinessTransfer, BusinessTransferPerson, LegalRequest, LegalRequestPerson


def legal_requests(*, session: Session) -> pd.DataFrame:
    lr = LegalRequest
    accounts = select(func.count()).where(LegalRequestPerson.legal_request_id == lr.id).scalar_subquery()
    return read_df(session, select(lr.id, lr.reference, lr.received_at, lr.authority, lr.jurisdiction,
                                   lr.request_type, lr.review_decision, lr.reviewer, lr.outcome,
                                   lr.categories_disclosed, accounts.label("accounts"),
                                   lr.notice_prohibited_until).order_by(lr.received_at.desc()))


def business_transfers(*, session: Session) -> pd.DataFrame:
    bt, btp = BusinessTransfer, BusinessTransferPerson
    notified = func.sum(case((btp.notified_at.is_not(None), 1), else_=0))
    return read_df(session, select(bt.id, bt.event, bt.counterparty, bt.effective_date,
                                   func.count(btp.person_id).label("affected"), notified.label("notified"))
                   .join(btp, btp.transfer_id == bt.id, isouter=True).group_by(bt.id).order_by(bt.effective_date))
