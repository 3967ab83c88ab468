"""Subject requests: the queue with due dates."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.requests import request_counts_by_status, request_queue

principal = require_role("requests")

st.title("Subject requests")
if principal.role == "executive":
    data_table(cached_query(request_counts_by_status), principal=principal, name="requests-by-status")
else:
    open_only = st.toggle("Open requests only", value=True)
    data_table(cached_query(request_queue, open_only=open_only), principal=principal, name="request-queue",
               pii_columns={"requester_name": "user.name", "requester_email": "user.contact.email"})
