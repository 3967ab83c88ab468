"""Communications and opt-outs."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.comms import preference_counts, recent_opt_outs

principal = require_role("communications")

st.title("Communications and opt-outs")
st.subheader("Current preferences")
data_table(cached_query(preference_counts), principal=principal, name="preference-counts")
if principal.role != "executive":
    st.subheader("Recent opt-outs")
    data_table(cached_query(recent_opt_outs), principal=principal, name="recent-opt-outs",
               pii_columns={"email": "user.contact.email"})
