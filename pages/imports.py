"""Import history."""

import streamlit as st

from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.queries.admin import import_batches

principal = require_role("imports")

st.title("Import")
data_table(cached_query(import_batches), principal=principal, name="import-batches")
