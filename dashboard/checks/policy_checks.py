"""Running the check catalogue for a page: a plain function of its inputs, so the result can be cached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext, CheckResult
from dashboard.checks.catalogue import run_checks
from data_access.gateway import MAX_ROWS


def check_results(
    *,
    session: Session,
    now: datetime,
    tz: str,
    keys: tuple[str, ...] | None = None,
    evidence_limit: int = MAX_ROWS,
) -> list[CheckResult]:
    return run_checks(session=session, context=CheckContext(now, tz, evidence_limit), keys=keys)


def failing_check_keys(*, session: Session, now: datetime, tz: str) -> tuple[str, ...]:
    """The keys of the checks failing now, for a page that lists no evidence (the Overview): a check
    that finds one offending row fails, so each reads one row instead of a page's list of them."""
    results = check_results(session=session, now=now, tz=tz, evidence_limit=1)
    return tuple(result.key for result in results if not result.passed)
