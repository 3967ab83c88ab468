"""Subject requests: the queue with legal deadlines, a request's page, intake, KPIs and OpenDSR."""

import json

import streamlit as st

from dashboard.auth.roles import may
from dashboard.services.opendsr import export_statuses, import_payload
from dashboard.services.request_queue import queue_with_state
from dashboard.ui.clock import today
from dashboard.ui.components import data_table
from dashboard.ui.erasure_follow_through import render_erasure_follow_through
from dashboard.ui.guard import require_role
from dashboard.ui.import_panel import render_import_panel
from dashboard.ui.request_detail import render_request_detail
from dashboard.ui.request_intake_form import render_intake_form
from dashboard.ui.request_kpis import render_request_kpis
from dashboard.ui.resources import cached_query, read_session

principal = require_role("requests")
st.title("Subject requests")
if not may(principal.role, "person.view"):
    render_request_kpis(principal)
    st.stop()

manager = may(principal.role, "request.create")
queue_tab, request_tab, *intake_tab, kpi_tab, opendsr_tab = st.tabs(
    ["Queue", "Request", *(["New request"] if manager else []), "KPIs", "OpenDSR"])
with queue_tab:
    open_only = st.toggle("Open requests only", value=True)
    queue = cached_query(queue_with_state, today=today(), open_only=open_only)
    data_table(queue.drop(columns=["version"]), principal=principal, name="request-queue")
with request_tab:
    references = dict(zip(queue["reference"], queue["id"], strict=True))
    chosen = st.selectbox("Request", list(references), index=0 if references else None,
                          placeholder="choose from the queue")
    if chosen is not None:
        render_request_detail(principal, int(references[chosen]))
        render_erasure_follow_through(principal, int(references[chosen]))
if intake_tab:
    with intake_tab[0]:
        render_intake_form(principal)
with kpi_tab:
    render_request_kpis(principal)
with opendsr_tab:
    with read_session() as session:
        statuses = export_statuses(session=session)
    st.download_button("Download OpenDSR statuses (JSON)", data=json.dumps(statuses, indent=2),
                       file_name="opendsr-statuses.json", mime="application/json")
    if manager:
        render_import_panel(principal, key="opendsr", label="OpenDSR requests (JSON)", importer=import_payload,
                            template="[]\n", file_types=("json",))
