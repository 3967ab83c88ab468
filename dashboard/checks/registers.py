"""Evidence for the legal-disclosure, business-transfer and policy-change clauses."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from data_access.queries.legal import disclosures_without_review, transfer_not_notified
from data_access.queries.policy import policy_not_notified


def disclosures_only_when_required(session: Session, context: CheckContext) -> pd.DataFrame:
    return disclosures_without_review(session=session)


def transfer_notified(session: Session, context: CheckContext) -> pd.DataFrame:
    return transfer_not_notified(session=session, today=context.today, limit=context.evidence_limit)


def policy_change_notified(session: Session, context: CheckContext) -> pd.DataFrame:
    return policy_not_notified(session=session, today=context.today, limit=context.evidence_limit)
