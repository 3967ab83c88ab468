"""Security incidents: open clocks with the time left, the register, notices sent against due;
record and progress."""

import streamlit as st

from dashboard.auth.roles import may
from dashboard.presentation.format import count
from dashboard.privacy.presentation import present_count, sees_exact_counts
from dashboard.rules.deadlines import deadline_settings
from dashboard.services.incident_clocks import incident_clocks, open_clocks, register_summary
from dashboard.ui.clock import now_minute
from dashboard.ui.components import Kpi, data_table, kpi_row, xlsx_download
from dashboard.ui.guard import require_role
from dashboard.ui.incident_forms import render_progress_forms, render_record_form
from dashboard.ui.resources import cached_query
from dashboard.ui.tabs import page_tabs
from data_access.queries.incidents import affected_people, incident_register, mail_merge_rows

principal = require_role("security")
manager = may(principal.role, "incident.record")
executive = not sees_exact_counts(principal)  # the register as counts only
PEOPLE_COUNTS = ["affected", "notified", "people_affected", "people_notified"]
CLOCK_COLUMNS = [
    "reference",
    "party",
    "regime",
    "status",
    "time_left",
    "due_at",
    "rule",
    "source",
    "affected",
    "notified",
]

st.title("Security incidents")
register = cached_query(incident_register)
clocks = cached_query(incident_clocks, now=now_minute(), tz=deadline_settings().controller_tz)
waiting = open_clocks(clocks)
affected = int(register["people_affected"].sum()) if not register.empty else 0
kpi_row(
    [
        Kpi(
            "Open incidents",
            count(int((register["status"] != "closed").sum()) if not register.empty else 0),
            "Open or contained, not closed.",
        ),
        Kpi(
            "Notices overdue",
            count(int((clocks["status"] == "overdue").sum())),
            "Notices whose legal period ended without them (GDPR Art. 33: 72 hours; US states: their days).",
        ),
        Kpi(
            "Notices due without undue delay",
            count(int((clocks["status"] == "due now").sum())),
            "GDPR Art. 34: people told without undue delay when the risk is high; the law gives "
            "no number of hours.",
        ),
        Kpi("People affected", count(present_count(affected, principal))),
    ]
)
st.caption(
    "Hours left are counted in clock hours on the UTC time line; US state periods end at the end of their "
    "last day in the controller's time zone. The rules and their sources: docs/security-incidents.md."
)

clocks_tab, register_tab, notices_tab, *manager_tabs = page_tabs(
    ["Open clocks", "Register", "Notices"]
    + (["Record an incident", "Progress and notices"] if manager else []),
    key="security-tab",
)
if clocks_tab.open:
    with clocks_tab:
        data_table(
            waiting[CLOCK_COLUMNS],
            principal=principal,
            name="incident-open-clocks",
            count_columns=PEOPLE_COUNTS,
        )
if register_tab.open:
    with register_tab:
        if executive:
            st.caption("Counts only: the register's details are for the compliance team and auditors.")
            data_table(
                register_summary(register),
                principal=principal,
                name="incident-summary",
                count_columns=PEOPLE_COUNTS,
            )
        else:
            data_table(register, principal=principal, name="incident-register", count_columns=PEOPLE_COUNTS)
if notices_tab.open:
    with notices_tab:
        notices = clocks[clocks["party"].isin(["people affected", "residents affected"])]
        st.caption("Notices to people against when they were due: everyone told, and by when.")
        data_table(
            notices[CLOCK_COLUMNS], principal=principal, name="incident-notices", count_columns=PEOPLE_COUNTS
        )
        if manager and not register.empty:
            chosen = st.selectbox(
                "People affected by", list(register["reference"]), key="incident-people-pick"
            )
            iid = int(register.loc[register["reference"] == chosen, "id"].iloc[0])
            data_table(
                cached_query(affected_people, incident_id=iid), principal=principal, name="incident-people"
            )
            st.subheader("Mail merge: people not told yet")
            merge = cached_query(mail_merge_rows, incident_id=iid)
            data_table(merge, principal=principal, name="incident-mail-merge")
            xlsx_download({"mail merge": merge}, principal=principal, name="incident-mail-merge")
if manager_tabs:
    if manager_tabs[0].open:
        with manager_tabs[0]:
            render_record_form(principal)
    if manager_tabs[1].open:
        with manager_tabs[1]:
            render_progress_forms(principal, register)
