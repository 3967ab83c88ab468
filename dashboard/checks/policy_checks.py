"""Running the check catalogue for a page: a plain function of its inputs, so the result can be cached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext, CheckResult
from dashboard.checks.catalogue import run_checks
from data_access.gateway import MAX_ROWS


def check_results(*, session: Session, now: datetime, tz: str, keys: tuple[str, ...] | None = None,
                  evidence_limit: int = MAX_ROWS) -> list[CheckResult]:
    return run_checks(session=session, context=CheckContext(now, tz, evidence_limit), keys=keys)
