"""Privacy policy: every commitment with its live check and evidence, the versions, their
differences and notices."""

import streamlit as st

from dashboard.checks.catalogue import UNTESTABLE
from dashboard.rules.policy_diff import policy_diff
from dashboard.ui.check_panel import live_check_results, render_checks
from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from dashboard.ui.tabs import page_tabs
from dashboard.ui.text import as_text
from data_access.queries.policy import policy_coverage, policy_texts

principal = require_role("policy")
st.title("Privacy policy")
checks_tab, versions_tab = page_tabs(["Commitments and checks", "Versions and notices"], key="policy-tab")
if checks_tab.open:
    with checks_tab:
        results = live_check_results()
        failed = sum(not r.passed for r in results)
        st.caption(
            f"{len(results) - failed} of {len(results)} testable commitments hold today; "
            "each is tested live against the data. `compliance check` runs the same catalogue."
        )
        render_checks(principal, results)
        st.subheader("Commitments no data can test")
        for clause, reason in UNTESTABLE:
            st.markdown(f"- *{as_text(clause)}* — {as_text(reason)}")
if versions_tab.open:
    with versions_tab:
        data_table(cached_query(policy_coverage), principal=principal, name="policy-versions")
        texts = cached_query(policy_texts)
        versions = list(texts["version"])
        if len(versions) >= 2:
            left, right = st.columns(2)
            old = left.selectbox("Compare", versions, index=len(versions) - 2)
            new = right.selectbox("with", versions, index=len(versions) - 1)
            by_version = dict(zip(texts["version"], texts["text"], strict=True))
            difference = policy_diff(by_version[old], by_version[new], old_name=str(old), new_name=str(new))
            st.code(difference or "The two versions are identical.", language="diff")
        st.caption(
            "Who was not notified of a change is the evidence of the policy-change-notified check, "
            "under Commitments and checks."
        )
