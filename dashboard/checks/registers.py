"""Evidence for the legal-disclosure, business-transfer and policy-change clauses."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from dashboard.inventory.data_map import load_data_map
from dashboard.rules.retention import cutoff
from data_access.queries.legal import disclosures_without_review, transfer_not_notified
from data_access.queries.policy import policy_not_notified


def disclosures_only_when_required(session: Session, context: CheckContext) -> pd.DataFrame:
    return disclosures_without_review(session=session)


def transfer_notified(session: Session, context: CheckContext) -> pd.DataFrame:
    return transfer_not_notified(session=session, today=context.today, limit=context.evidence_limit)


def policy_change_notified(session: Session, context: CheckContext) -> pd.DataFrame:
    """Versions whose notices are past their retention (the data map's rule for
    policy_notifications; the purge removes them, docs/retention.md) cannot be judged any more and
    are left out."""
    kept_from = cutoff(context.now, load_data_map().retention_rules()["policy_notifications"].period).date()
    return policy_not_notified(
        session=session, today=context.today, limit=context.evidence_limit, effective_since=kept_from
    )
