"""Third-party sharing: the policy's sharing checks, the recipients register, sharing records and the form."""

import streamlit as st

from dashboard.auth.roles import may
from dashboard.ui.check_panel import live_check_results, render_checks
from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.recipient_form import render_recipient_form
from dashboard.ui.resources import cached_query
from dashboard.ui.sharing_form import render_sharing_form
from dashboard.ui.tabs import page_tabs
from data_access.queries.sharing import recipients, sharing_records

SHARING_CHECKS = (
    "no-phone-or-sms-sharing",
    "sharing-approved-recipients",
    "sharing-service-purposes",
    "sharing-consent",
)

principal = require_role("sharing")
st.title("Third-party sharing")
register = cached_query(recipients)
checks_tab, records_tab, recipients_tab, *form_tabs = page_tabs(
    [
        "Policy checks",
        "Sharing records",
        "Recipients",
        *(["Add a record", "Add a recipient"] if may(principal.role, "sharing.record") else []),
    ],
    key="sharing-tab",
)
if checks_tab.open:
    with checks_tab:
        render_checks(principal, live_check_results(keys=SHARING_CHECKS))
if records_tab.open:
    with records_tab:
        data_table(cached_query(sharing_records), principal=principal, name="sharing-records")
if recipients_tab.open:
    with recipients_tab:
        data_table(register, principal=principal, name="recipients")
if form_tabs:
    if form_tabs[0].open:
        with form_tabs[0]:
            render_sharing_form(principal, register)
    if form_tabs[1].open:
        with form_tabs[1]:
            render_recipient_form(principal)
