"""Storage limitation, GDPR Art. 5(1)(e): no record kept past the retention its data map entry states
(dashboard.services.retention, docs/retention.md). One evidence row per category, oldest first."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from dashboard.services.retention import past_retention

COLUMNS = ["records_of", "records", "oldest", "retention", "runs_from", "action", "cutoff"]


def records_past_retention(session: Session, context: CheckContext) -> pd.DataFrame:
    rows = [
        {
            "records_of": category.name,
            "records": found.records,
            "oldest": found.oldest,
            "retention": str(category.rule.period),
            "runs_from": category.rule.runs_from,
            "action": category.action,
            "cutoff": category.cutoff,
        }
        for category, found in past_retention(session, context.now)
    ]
    return pd.DataFrame(rows, columns=COLUMNS).head(context.evidence_limit)
