"""The registers of a period as the exporting role may see them: one masking rule for every export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.audit.typed_values import withhold_typed_values
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.checks.base import CheckContext, CheckResult
from dashboard.checks.catalogue import run_checks, summary_frame
from dashboard.privacy.presentation import present
from dashboard.rules.transparency import (
    national_security_report,
    withhold_national_security_entries,
    without_national_security,
)
from dashboard.services.request_log import with_days_overdue
from data_access.queries import registers_period as q
from data_access.queries.legal import business_transfers, national_security_ids
from data_access.queries.policy import policy_coverage
from data_access.queries.sharing import recipients

# Each register's name for a reader (a workbook's sheet, the PDF); the keys name the CSV files, for machines.
REGISTER_TITLES = {
    "subject_requests": "Subject requests",
    "opt_outs": "Opt-outs",
    "sharing_records": "Sharing records",
    "recipients": "Recipients",
    "legal_requests": "Requests from authorities",
    "national_security": "National security (bands)",
    "business_transfers": "Business transfers",
    "policy_versions": "Policy versions",
    "policy_checks": "Policy checks",
    "audit_log": "Audit log",
}
EVIDENCE_PREFIX = "evidence_"


@dataclass(frozen=True)
class PeriodRegisters:
    since: datetime
    until: datetime
    frames: dict[str, pd.DataFrame]
    checks: list[CheckResult]

    @property
    def titles(self) -> dict[str, str]:
        """Each frame's name for a reader; a failing check's evidence by the check's title."""
        evidence = {f"{EVIDENCE_PREFIX}{r.key}": f"Evidence – {r.title}" for r in self.checks}
        return {name: REGISTER_TITLES.get(name) or evidence.get(name, name) for name in self.frames}


def period_registers(
    *, session: Session, principal: Principal, since: datetime, until: datetime, tz: str = "UTC"
) -> PeriodRegisters:
    """Every register of [since, until), as of `until`, as the principal may see it (privacy.presentation: in
    clear for managers, masked and free text withheld for auditors). National security process only in bands
    (rules.transparency, 50 U.S.C. 1874), for every role: an export leaves the place where it may be known."""
    require(principal.role, "export.download")
    checks = run_checks(session=session, context=CheckContext(until, tz))
    disclosures = q.disclosures_in(session=session, since=since, until=until)
    frames = {
        "subject_requests": with_days_overdue(
            q.requests_as_of(session=session, since=since, until=until),
            as_of=(until - timedelta(microseconds=1)).date(),
        ),
        "opt_outs": q.opt_outs_in(session=session, since=since, until=until),
        "sharing_records": q.sharing_in(session=session, since=since, until=until),
        "recipients": recipients(session=session),
        "legal_requests": without_national_security(disclosures),
        "national_security": national_security_report(disclosures),
        "business_transfers": business_transfers(session=session),
        "policy_versions": policy_coverage(session=session).drop(columns=["summary"]),
        "policy_checks": summary_frame(checks),
        "audit_log": withhold_national_security_entries(
            withhold_typed_values(q.audit_in(session=session, since=since, until=until)),
            national_security_ids(session=session),
        ),
    }
    for result in checks:
        if not result.passed:
            frames[f"{EVIDENCE_PREFIX}{result.key}"] = result.evidence
    return PeriodRegisters(
        since, until, {name: present(frame, principal) for name, frame in frames.items()}, checks
    )
