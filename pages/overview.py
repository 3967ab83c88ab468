"""Overview: the morning view. Managers (and auditors) see what needs action today, executives (and auditors)
where each headline figure has gone over twelve months; everyone the posture now."""

import streamlit as st

from dashboard.auth.roles import may
from dashboard.presentation.format import count, percent
from dashboard.privacy.suppression import suppress_count
from dashboard.ui.clock import now_minute, today
from dashboard.ui.components import SUPPRESSED_NOTE, Kpi, kpi_row
from dashboard.ui.guard import require_role
from dashboard.ui.overview_view import render_attention, render_trends
from dashboard.ui.resources import cached_query
from data_access.queries.overview import overview_figures

principal = require_role("overview")
executive = not may(principal.role, "person.view")

st.title("Compliance overview")
if not executive:
    render_attention()
figures = cached_query(overview_figures, today=today(), now=now_minute())
people_count = (lambda n: count(suppress_count(n))) if executive else count
st.subheader("Now")
kpi_row([
    Kpi("People", count(figures.people), "Accounts held, excluding anonymised ones."),
    Kpi("Open subject requests", people_count(figures.open_requests)),
    Kpi("Overdue requests", people_count(figures.overdue_requests), "Open past the due (or extended due) date."),
])
kpi_row([
    Kpi("Email marketing opt-out rate", percent(figures.email_opt_out_rate),
        "Opted out / people with an email marketing preference."),
    Kpi("Sharing records (30 days)", count(figures.sharing_records_30d)),
    Kpi("Legal requests (90 days)", count(figures.legal_requests_90d)),
])
if executive:
    st.caption(SUPPRESSED_NOTE)
if principal.role != "manager":
    render_trends(executive=executive)
