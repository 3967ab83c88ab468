"""Request KPIs for every role: counts, time to close, monthly volumes and the yearly CCPA metrics.
Aggregates only, so executives see the same panel (with small counts suppressed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard.auth.service import Principal
from dashboard.presentation.format import count
from dashboard.rules.request_workflow import DUE_SOON_DAYS
from dashboard.services.request_metrics import ccpa_yearly_metrics, closing_by
from dashboard.ui.chart_view import show_chart
from dashboard.ui.charts import stacked_bars
from dashboard.ui.clock import today
from dashboard.ui.components import Kpi, data_table, kpi_row
from dashboard.ui.resources import cached_query
from data_access.queries.requests import monthly_volumes, open_counts


def render_request_kpis(principal: Principal) -> None:
    day = today()
    counts = cached_query(open_counts, today=day, due_soon_days=DUE_SOON_DAYS)
    kpi_row(
        [
            Kpi("Open requests", count(counts.open)),
            Kpi("Overdue", count(counts.overdue), "Open past the due (or extended due) date."),
            Kpi(f"Due within {DUE_SOON_DAYS} days", count(counts.due_soon)),
        ]
    )
    until = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
    since = until - timedelta(days=365)
    volumes = cached_query(monthly_volumes, since=since, until=until)
    if not volumes.empty:
        show_chart(
            stacked_bars(
                volumes,
                x="month",
                y="requests",
                by="request_type",
                title="Requests received per month",
                y_title="requests",
            )
        )
    st.subheader("Days to close, last 12 months")
    by_type = cached_query(closing_by, since=since, until=until, by=("request_type", "regime"))
    data_table(by_type, principal=principal, name="days-to-close", count_columns=["answered"])
    year = st.selectbox("CCPA metrics for", [day.year - 1, day.year], index=1)
    st.caption(
        "11 CCR 7102: requests to know, delete, correct and opt out received in the year, complied "
        "with in whole or in part, denied (including unverifiable), and the median days to respond."
    )
    metrics = cached_query(ccpa_yearly_metrics, year=year)
    counted = ["received", "complied_in_whole_or_part", "denied", "open"]
    data_table(metrics, principal=principal, name=f"ccpa-metrics-{year}", count_columns=counted)
