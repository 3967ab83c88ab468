"""Third-party sharing: recipients and sharing records."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.sharing import recipients, sharing_records

principal = require_role("sharing")

st.title("Third-party sharing")
st.subheader("Recipients")
data_table(cached_query(recipients), principal=principal, name="recipients")
st.subheader("Sharing records")
data_table(cached_query(sharing_records), principal=principal, name="sharing-records")
