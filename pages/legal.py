"""Legal disclosures: requests from authorities, their review and notice, the transparency report,
business transfers."""

import streamlit as st

from dashboard.auth.roles import may
from dashboard.rules.transparency import (
    NATIONAL_SECURITY_BASIS,
    national_security_report,
    transparency_report,
    without_national_security,
)
from dashboard.ui.check_panel import live_check_results, render_checks
from dashboard.ui.clock import today
from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.legal_forms import render_log_form, render_progress_forms
from dashboard.ui.resources import cached_query
from dashboard.ui.tabs import page_tabs
from data_access.queries.legal import (
    business_transfers,
    legal_requests,
    notices_due,
    transfer_not_notified,
    transparency_rows,
)

principal = require_role("legal")
sees_people = may(principal.role, "person.view")
st.title("Legal disclosures")
register = cached_query(legal_requests)
one_by_one = may(principal.role, "legal.national_security.view")
requests_tab, checks_tab, report_tab, transfers_tab, *form_tab = page_tabs(
    [
        "Requests from authorities",
        "Policy checks",
        "Transparency report",
        "Business transfers",
        *(["Log and progress"] if may(principal.role, "legal.record") else []),
    ],
    key="legal-tab",
)
if requests_tab.open:
    with requests_tab:
        if not one_by_one:
            st.caption(
                "National security process is not listed: 50 U.S.C. 1874 allows it to be known "
                "only in bands, "
                "given in the Transparency report tab."
            )
        data_table(
            register if one_by_one else without_national_security(register),
            principal=principal,
            name="legal-requests",
        )
        if sees_people:
            st.subheader("Notice now due")
            st.caption(
                "Data was disclosed, the person has not been told, and no order prohibits notice any more."
            )
            data_table(cached_query(notices_due, today=today()), principal=principal, name="notices-due")
if checks_tab.open:
    with checks_tab:
        render_checks(
            principal, live_check_results(keys=("disclosures-legally-required", "transfer-notified"))
        )
if report_tab.open:
    with report_tab:
        transparency = cached_query(transparency_rows)
        st.caption(
            "Per half-year and legal process: requests received, accounts specified, and the "
            "share of requests "
            "where some or all of the data asked for was produced. National security process is reported "
            "apart, below."
        )
        data_table(transparency_report(transparency), principal=principal, name="transparency-report")
        st.subheader("National security process")
        st.caption(
            f"{NATIONAL_SECURITY_BASIS}. A half-year may be published from the date shown (180 days after it "
            "ends, 50 U.S.C. 1874(b))."
        )
        data_table(
            national_security_report(transparency), principal=principal, name="transparency-national-security"
        )
if transfers_tab.open:
    with transfers_tab:
        data_table(cached_query(business_transfers), principal=principal, name="business-transfers")
        if sees_people:
            st.subheader("Affected and not yet notified")
            data_table(
                cached_query(transfer_not_notified, today=today()),
                principal=principal,
                name="transfer-not-notified",
            )
if form_tab and form_tab[0].open:
    with form_tab[0]:
        render_log_form(principal)
        st.divider()
        render_progress_forms(principal, register)
