"""Audit log and reports."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.admin import audit_entries

principal = require_role("audit")

st.title("Audit log")
data_table(cached_query(audit_entries), principal=principal, name="audit-log")
