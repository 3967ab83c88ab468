"""Subject requests: the queue with legal deadlines, a request's page, intake, KPIs and OpenDSR."""

import json

import streamlit as st

from dashboard.auth.roles import may
from dashboard.imports.opendsr import export_statuses, import_payload
from dashboard.services.request_queue import queue_with_state
from dashboard.ui.clock import today
from dashboard.ui.erasure_follow_through import render_erasure_follow_through
from dashboard.ui.guard import require_role
from dashboard.ui.import_panel import render_import_panel
from dashboard.ui.request_detail import render_request_detail
from dashboard.ui.request_intake_form import render_intake_form
from dashboard.ui.request_kpis import render_request_kpis
from dashboard.ui.request_picker import (
    REQUEST_TAB,
    TABS,
    open_linked_request,
    render_queue,
    render_request_picker,
)
from dashboard.ui.resources import cached_query, read_session
from dashboard.ui.tabs import page_tabs
from data_access.queries.requests import request_choices

principal = require_role("requests")
st.title("Subject requests")
if not may(principal.role, "person.view"):
    render_request_kpis(principal)
    st.stop()

manager = may(principal.role, "request.create")
open_linked_request()
queue_tab, request_tab, *intake_tab, kpi_tab, opendsr_tab = page_tabs(
    ["Queue", REQUEST_TAB, *(["New request"] if manager else []), "KPIs", "OpenDSR"], key=TABS
)
if queue_tab.open:
    with queue_tab:
        open_only = st.toggle("Open requests only", value=True)
        render_queue(principal, cached_query(queue_with_state, today=today(), open_only=open_only))
if request_tab.open:
    with request_tab:
        with (
            read_session() as session
        ):  # not cached: a link to a request a colleague logged a moment ago opens it
            choices = request_choices(session=session)
        request_id = render_request_picker(choices)
        if request_id is not None:
            render_request_detail(principal, request_id)
            render_erasure_follow_through(principal, request_id)
if intake_tab and intake_tab[0].open:
    with intake_tab[0]:
        render_intake_form(principal)
if kpi_tab.open:
    with kpi_tab:
        render_request_kpis(principal)
if opendsr_tab.open:
    with opendsr_tab:
        with read_session() as session:
            statuses = export_statuses(session=session)
        st.download_button(
            "Download OpenDSR statuses (JSON)",
            data=json.dumps(statuses, indent=2),
            file_name="opendsr-statuses.json",
            mime="application/json",
        )
        if manager:
            render_import_panel(
                principal,
                key="opendsr",
                label="OpenDSR requests (JSON)",
                importer=import_payload,
                template="[]\n",
                file_types=("json",),
            )
