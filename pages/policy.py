"""Policy versions and change notifications."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.policy import policy_versions

principal = require_role("policy")

st.title("Privacy policy")
data_table(cached_query(policy_versions), principal=principal, name="policy-versions")
