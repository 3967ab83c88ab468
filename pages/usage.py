"""Usage metrics from the access-log and product-event rollups: activity, stickiness, features, traffic."""

from datetime import timedelta

import streamlit as st

from dashboard.presentation.format import EMPTY, percent
from dashboard.privacy.presentation import present_chart_counts
from dashboard.services.usage_metrics import usage_summary
from dashboard.ui.chart_view import show_chart
from dashboard.ui.charts import bar_chart, line_chart, stacked_bars
from dashboard.ui.clock import today
from dashboard.ui.components import Kpi, data_table, kpi_row
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from dashboard.ui.tabs import page_tabs
from data_access.queries.usage import countries, traffic_by

principal = require_role("usage")
st.title("Usage metrics")
left, right = st.columns(2)
days = left.selectbox("Period", [30, 90, 180, 365], index=1, format_func=lambda d: f"Last {d} days")
country = right.selectbox(
    "Country (people-based figures)",
    ["", *cached_query(countries)],
    format_func=lambda c: c or "All countries",
)
last = today() - timedelta(days=1)  # complete days only: today is still filling up
first = last - timedelta(days=days - 1)
summary = cached_query(usage_summary, first=first, last=last, country=country or None)
kpi_row(
    [
        Kpi(
            "Daily active users",
            EMPTY if summary.dau is None else f"{summary.dau:,.0f}",
            "Average of the last 7 days.",
        ),
        Kpi("Weekly active users", f"{summary.wau:,}", "People active in the last 7 days."),
        Kpi("Monthly active users", f"{summary.mau:,}", "People active in the last 30 days."),
        Kpi("Stickiness (DAU/MAU)", percent(summary.stickiness)),
        Kpi(
            "Sessions per day",
            EMPTY if summary.sessions_per_day is None else f"{summary.sessions_per_day:,.0f}",
        ),
        Kpi(
            "Minutes per session",
            EMPTY if summary.minutes_per_session is None else f"{summary.minutes_per_session:.1f}",
        ),
    ]
)
activity_tab, features_tab, traffic_tab = page_tabs(["Activity", "Features", "Traffic"], key="usage-tab")
if activity_tab.open:
    with activity_tab:
        if summary.daily.empty:
            st.info("No activity in this period.")
        else:
            drawn = present_chart_counts(summary.daily, principal, ["active_users"])  # 1-4: a gap
            show_chart(
                line_chart(drawn, x="day", y="active_users", title="Daily active users", y_title="people")
            )
            mix = summary.new_returning.melt(id_vars="day", var_name="kind", value_name="people")
            mix = present_chart_counts(mix, principal, ["people"])
            show_chart(
                stacked_bars(mix, x="day", y="people", by="kind", title="New and returning people per day")
            )
        data_table(summary.daily, principal=principal, name="daily-activity", count_columns=["active_users"])
if features_tab.open:
    with features_tab:
        if not summary.features.empty:
            show_chart(
                bar_chart(
                    summary.features,
                    x="feature",
                    y="user_days",
                    horizontal=True,
                    title="Feature use (person-days)",
                )
            )
        st.caption("Adoption: person-days of use of a feature / person-days of activity in the period.")
        data_table(summary.features, principal=principal, name="feature-use")
if traffic_tab.open:
    with traffic_tab:
        for dimension, title in (
            ("status", "Requests by status"),
            ("browser", "Top browsers"),
            ("os", "Top systems"),
            ("referrer", "Top referrers"),
            ("exit_page", "Top exit pages"),
            ("page", "Top pages"),
        ):
            table = cached_query(traffic_by, dimension=dimension, first=first, last=last)
            st.subheader(title)
            if not table.empty:
                show_chart(bar_chart(table.head(10), x="value", y="requests", horizontal=True, title=title))
            data_table(table, principal=principal, name=f"traffic-{dimension}")
