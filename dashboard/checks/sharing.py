"""Evidence for the sharing clauses: each function returns the offending rows (empty when the clause
holds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from dashboard.rules.sharing_rules import phone_or_sms_problems, purpose_problems, recipient_problems
from data_access.queries.sharing import consent_gaps, sharing_records

COLUMNS = ["id", "shared_at", "recipient", "categories", "purpose", "legal_basis", "people", "problem"]


def no_phone_or_sms_sharing(session: Session, context: CheckContext) -> pd.DataFrame:
    return _flag(
        sharing_records(session=session), lambda r: phone_or_sms_problems(r["categories"], r["purpose"])
    )


def approved_recipients_only(session: Session, context: CheckContext) -> pd.DataFrame:
    return _flag(
        sharing_records(session=session),
        lambda r: recipient_problems(
            approved=bool(r["approved"]),
            contract_status=r["contract_status"],
            allowed=r["allowed_categories"],
            categories=r["categories"],
        ),
    )


def service_purposes_only(session: Session, context: CheckContext) -> pd.DataFrame:
    return _flag(sharing_records(session=session), lambda r: purpose_problems(r["purpose"]))


def consent_where_required(session: Session, context: CheckContext) -> pd.DataFrame:
    gaps = consent_gaps(session=session)
    return gaps.assign(problem="no consent of this scope valid when shared")


def _flag(records: pd.DataFrame, problems_of: Callable[[dict[Any, Any]], list[str]]) -> pd.DataFrame:
    rows = []
    for record in records.to_dict(orient="records"):  # a few hundred records, not people
        problems = problems_of(record)
        if problems:
            rows.append({**{k: record[k] for k in COLUMNS[:-1]}, "problem": "; ".join(problems)})
    return pd.DataFrame(rows, columns=COLUMNS)
