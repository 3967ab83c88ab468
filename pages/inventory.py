"""Data inventory: find a person and see what is held about them."""

import streamlit as st

from dashboard.auth.roles import may
from dashboard.ui.guard import require_role
from dashboard.ui.person_lookup import render_person_lookup

principal = require_role("inventory")

st.title("Data inventory")
if may(principal.role, "person.view"):
    render_person_lookup(principal)
else:
    st.info("Per-person data is not shown to your role; the company-wide data map is below.")
