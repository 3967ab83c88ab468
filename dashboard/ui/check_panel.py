"""Policy checks as a reader sees them: the clause, pass or fail, how it is tested, and the offending rows.

Each check is a collapsed expander whose clause and evidence are run and sent only while it is open
(`on_change="rerun"`, key "check-<key>"): twelve failing checks' tables drawn at once made the Policy page
the slowest to draw in the browser (issue 27).

Executives get the verdicts and counts only (counts of 1-4 withheld); auditors see evidence masked.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.auth.roles import may
from dashboard.auth.service import Principal
from dashboard.checks.base import CheckResult
from dashboard.checks.catalogue import summary_frame
from dashboard.checks.policy_checks import check_results
from dashboard.presentation.cells import with_category_names
from dashboard.rules.deadlines import deadline_settings
from dashboard.ui.clock import now_minute
from dashboard.ui.components import data_table
from dashboard.ui.resources import cached_query
from dashboard.ui.text import as_text
from data_access.gateway import MAX_ROWS

# A page lists the first 200 offending rows of a check, as the Communications page lists the newest 200 of its
# lists; the exports (workbook, evidence package) list up to MAX_ROWS. Reading 10,000 people who
# were not told of a policy change took 0.3 s of the Policy page at 1M people; a thousand messages
# sent under an opt-out, each with its opt-out, 0.13 s when they were not cached.
PAGE_EVIDENCE_ROWS = 200


def live_check_results(keys: tuple[str, ...] | None = None) -> list[CheckResult]:
    """The catalogue (or the checks named in `keys`) judged now, cached for the minute, as pages list it."""
    return cached_query(
        check_results,
        now=now_minute(),
        tz=deadline_settings().controller_tz,
        keys=keys,
        evidence_limit=PAGE_EVIDENCE_ROWS,
    )


def render_checks(principal: Principal, results: Sequence[CheckResult]) -> None:
    if not may(principal.role, "person.view"):  # verdicts and counts, with whether each list was complete
        data_table(
            summary_frame(results), principal=principal, name="policy-checks", count_columns=["evidence_rows"]
        )
        return
    for result in results:  # each check's clause and evidence are drawn only while its expander is open
        icon = ":material/check_circle:" if result.passed else ":material/error:"
        findings = f"{len(result.evidence):,}" + ("+" if result.listed_in_part else "")
        check = st.expander(
            f"{icon} {result.title} — {'passes' if result.passed else f'{findings} finding(s)'}",
            key=f"check-{result.key}",
            on_change="rerun",
        )
        if check.open:
            with check:
                _check_detail(principal, result)


def _check_detail(principal: Principal, result: CheckResult) -> None:
    st.markdown(f"> {as_text(result.clause)}")
    st.caption(f"{with_category_names(result.description)} Check key: `{result.key}`.")
    if not result.passed:
        data_table(result.evidence, principal=principal, name=f"evidence-{result.key}")
    if result.listed_in_part:
        st.caption(
            f"The first {len(result.evidence):,} offending rows are listed here; the workbook and the "
            f"evidence package on the Exports page list up to {MAX_ROWS:,} per check."
        )
