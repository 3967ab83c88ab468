"""The yardstick of the browser benchmark: a landing page and an empty page, routed as the dashboard
routes its pages (st.navigation), so that a visit to the empty page costs what any page costs in
Streamlit and nothing more."""

from __future__ import annotations

import streamlit as st

st.navigation(
    [
        st.Page(lambda: None, title="Start", url_path="start", default=True),
        st.Page("page.py", title="Empty", url_path="empty"),
    ]
).run()
