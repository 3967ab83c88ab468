"""Data inventory: what we hold about one person, the company data map and the Record of Processing
Activities."""

import streamlit as st

from dashboard.auth.roles import may
from dashboard.inventory.data_map_view import data_map_table, ropa, sankey_links
from dashboard.ui.chart_view import show_chart
from dashboard.ui.charts import sankey
from dashboard.ui.components import data_table, xlsx_download
from dashboard.ui.guard import require_role
from dashboard.ui.person_inventory_view import render_person_inventory
from dashboard.ui.person_lookup import render_person_lookup
from dashboard.ui.resources import cached_query

principal = require_role("inventory")
st.title("Data inventory")
sees_people = may(principal.role, "person.view")
# A choice, not tabs: only the view shown is computed (the data map counts people in every table).
view = st.radio(
    "View",
    [*(["A person"] if sees_people else []), "Data map", "Record of processing"],
    horizontal=True,
    label_visibility="collapsed",
)
if view == "A person":
    person_id = render_person_lookup(principal)
    if person_id is not None:
        render_person_inventory(principal, person_id)
elif view == "Data map":
    table = cached_query(data_map_table)
    show_chart(sankey(sankey_links(table), title="Data category → purpose → recipient (people)"))
    data_table(table, principal=principal, name="data-map")
else:
    st.caption(
        "GDPR Art. 30(1): controller and contact, purposes, categories of data subjects and of "
        "personal data, "
        "recipients, transfers to third countries, retention, security measures — one row per purpose."
    )
    record_of_processing = cached_query(ropa)
    data_table(record_of_processing, principal=principal, name="record-of-processing")
    xlsx_download(
        {"record_of_processing": record_of_processing}, principal=principal, name="record-of-processing"
    )
