"""Admin: staff accounts and roles."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.admin import staff_accounts

principal = require_role("admin")

st.title("Staff accounts")
data_table(cached_query(staff_accounts), principal=principal, name="staff-accounts")
