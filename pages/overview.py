"""Overview: the compliance posture at a glance."""

import streamlit as st

from dashboard.ui.clock import now_minute, today
from dashboard.ui.components import Kpi, kpi_row
from dashboard.ui.format import count, percent
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.overview import overview_figures

principal = require_role("overview")

st.title("Compliance overview")
figures = cached_query(overview_figures, today=today(), now=now_minute())
kpi_row([
    Kpi("People", count(figures.people), "Accounts held, excluding anonymised ones."),
    Kpi("Open subject requests", count(figures.open_requests)),
    Kpi("Overdue requests", count(figures.overdue_requests), "Open past the due (or extended due) date."),
])
kpi_row([
    Kpi("Email marketing opt-out rate", percent(figures.email_opt_out_rate),
        "Opted out / people with an email marketing preference."),
    Kpi("Sharing records (30 days)", count(figures.sharing_records_30d)),
    Kpi("Legal requests (90 days)", count(figures.legal_requests_90d)),
])
