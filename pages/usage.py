"""Usage metrics from the access-log and product-event rollups."""

from datetime import timedelta

import streamlit as st

from dashboard.ui.charts import bar_chart, line_chart
from dashboard.ui.clock import today
from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.usage import daily_active_users, traffic_by

principal = require_role("usage")

st.title("Usage metrics")
days = st.selectbox("Period", [30, 90, 180, 365], index=1, format_func=lambda d: f"Last {d} days")
last = today()
first = last - timedelta(days=days - 1)
dau = cached_query(daily_active_users, first=first, last=last)
if dau.empty:
    st.info("No activity in this period.")
else:
    st.plotly_chart(line_chart(dau, x="day", y="active_users", title="Daily active users", y_title="people"))
browsers = cached_query(traffic_by, dimension="browser", first=first, last=last)
if not browsers.empty:
    st.plotly_chart(bar_chart(browsers, x="value", y="requests", title="Requests by browser", horizontal=True))
data_table(dau, principal=principal, name="daily-active-users")
