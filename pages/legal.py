"""Legal disclosures to authorities and business transfers."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.legal import business_transfers, legal_requests

principal = require_role("legal")

st.title("Legal disclosures")
st.subheader("Requests from authorities")
data_table(cached_query(legal_requests), principal=principal, name="legal-requests")
st.subheader("Business transfers")
data_table(cached_query(business_transfers), principal=principal, name="business-transfers")
