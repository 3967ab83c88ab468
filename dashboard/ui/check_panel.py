"""Policy checks as a reader sees them: the clause, pass or fail, how it is tested, and the offending rows.

Executives get the verdicts and counts only (counts of 1-4 withheld); auditors see evidence masked.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard.auth.roles import may
from dashboard.auth.service import Principal
from dashboard.checks.base import CheckResult
from dashboard.privacy.suppression import suppress_small_counts
from dashboard.ui.components import data_table

EVIDENCE_CAP = 10_000  # evidence lists stop there (data_access.gateway.MAX_ROWS); the verdict does not
EVIDENCE_PII = {"email": "user.contact.email", "phone": "user.contact.phone_number", "person_id": "user.unique_id",
                "consent_reference": "user.unique_id", "masked_sample": "user.contact.email"}


def render_checks(principal: Principal, results: Sequence[CheckResult]) -> None:
    summary = pd.DataFrame([{"check": r.key, "status": "pass" if r.passed else "FAIL",
                             "evidence_rows": len(r.evidence), "clause": r.clause} for r in results])
    if not may(principal.role, "person.view"):
        data_table(suppress_small_counts(summary, ["evidence_rows"]), principal=principal, name="policy-checks")
        return
    for result in results:
        icon = ":material/check_circle:" if result.passed else ":material/error:"
        findings = f"{len(result.evidence):,}" + ("+" if len(result.evidence) >= EVIDENCE_CAP else "")
        with st.expander(f"{icon} {result.key} — {'passes' if result.passed else f'{findings} finding(s)'}",
                         expanded=not result.passed):
            st.markdown(f"> {result.clause}")
            st.caption(result.description)
            if not result.passed:
                data_table(result.evidence, principal=principal, name=f"evidence-{result.key}",
                           pii_columns=EVIDENCE_PII)
