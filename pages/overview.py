"""Overview: the morning view. Managers (and auditors) see what needs action today, executives (and auditors)
where each headline figure has gone over twelve months; everyone the posture now."""

import streamlit as st

from dashboard.presentation.format import count, percent
from dashboard.privacy.presentation import present_count, sees_exact_counts
from dashboard.ui.clock import now_minute, today
from dashboard.ui.components import SUPPRESSED_NOTE, Kpi, kpi_row
from dashboard.ui.guard import require_role
from dashboard.ui.overview_view import render_attention, render_trends
from dashboard.ui.resources import cached_query
from data_access.queries.overview import overview_figures

principal = require_role("overview")
executive = not sees_exact_counts(principal)  # the trends, not the to-do list; 1-4 withheld

st.title("Compliance overview")
if not executive:
    render_attention()
figures = cached_query(overview_figures, today=today(), now=now_minute())
st.subheader("Now")
kpi_row(
    [
        Kpi("People", count(figures.people), "Accounts held, excluding anonymised ones."),
        Kpi("Open subject requests", count(present_count(figures.open_requests, principal))),
        Kpi(
            "Overdue requests",
            count(present_count(figures.overdue_requests, principal)),
            "Open past the due (or extended due) date.",
        ),
    ]
)
kpi_row(
    [
        Kpi(
            "Email marketing opt-out rate",
            percent(figures.email_opt_out_rate),
            "Opted out / people with an email marketing preference.",
        ),
        Kpi("Sharing records (30 days)", count(figures.sharing_records_30d)),
        Kpi("Legal requests (90 days)", count(figures.legal_requests_90d)),
    ]
)
if executive:
    st.caption(SUPPRESSED_NOTE)
if principal.role != "manager":
    render_trends(principal)
