"""Forms of the Security page (managers): record an incident, progress it, record the notices sent."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.auth.service import Principal
from dashboard.rules.breach_deadlines import RISKS
from dashboard.services.incident_register import (
    CHANNELS,
    IncidentInput,
    known_categories,
    known_systems,
    record_authority_notice,
    record_incident,
    record_people_notice,
    update_incident,
)
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from dashboard.ui.moment_input import moment_input
from data_access.models.enums import IncidentStatus

RECORD, PROGRESS, AUTHORITY, PEOPLE = (
    "incident-record",
    "incident-progress",
    "incident-authority",
    "incident-people",
)
RISK_LABELS = {"unlikely": "unlikely to result in a risk", "risk": "risk", "high_risk": "high risk"}
AUTHORITY_REGIMES = ("gdpr", "uk-gdpr", "us-co", "us-fl", "us-tx", "us-wa", "us-ca")


def render_record_form(principal: Principal) -> None:
    show_saved(RECORD)
    with st.form(form_key(RECORD)):
        detected = moment_input("Detected")
        aware = moment_input("Became aware")
        description = st.text_area("Description (what happened)")
        systems = st.multiselect("Systems affected", known_systems())
        categories = st.multiselect("Data categories affected", known_categories())
        left, right = st.columns(2)
        risk = left.selectbox("Risk to people", RISKS, format_func=RISK_LABELS.__getitem__)
        owner = right.text_input("Owner", value=principal.display_name)
        reasoning = st.text_area("Reasoning for the risk assessment")
        containment = st.text_area("Containment so far")
        submitted = st.form_submit_button("Record incident", type="primary")
    if not submitted or detected is None or aware is None or risk is None:
        return
    entry = IncidentInput(
        detected, aware, description, tuple(systems), tuple(categories), risk, reasoning, containment, owner
    )
    submit(
        RECORD,
        lambda s: record_incident(session=s, principal=principal, entry=entry).reference,
        lambda reference: f"Recorded {reference}.",
        key=submission_key(RECORD, entry),
    )


def render_progress_forms(principal: Principal, register: pd.DataFrame) -> None:
    if register.empty:
        return
    references = dict(zip(register["reference"], register["id"], strict=True))
    chosen = st.selectbox("Incident", list(references), key="incident-progress-pick")
    if chosen is None:
        return
    iid = int(references[chosen])
    row = register[register["id"] == iid].iloc[0]
    for name in (PROGRESS, AUTHORITY, PEOPLE):
        show_saved(name)
    with st.form(form_key(PROGRESS)):
        st.markdown("**Assessment and containment**")
        left, middle, right = st.columns(3)
        statuses = [s.value for s in IncidentStatus]
        status = left.selectbox("Status", statuses, index=statuses.index(row["status"]))
        risk = middle.selectbox(
            "Risk", RISKS, index=RISKS.index(row["risk"]), format_func=RISK_LABELS.__getitem__
        )
        owner = right.text_input("Owner", value=row["owner"])
        reasoning = st.text_area("Reasoning", value=row["risk_reasoning"] or "")
        containment = st.text_area("Containment", value=row["containment"] or "")
        if st.form_submit_button("Save") and status is not None and risk is not None:
            submit(
                PROGRESS,
                lambda s: update_incident(
                    session=s,
                    principal=principal,
                    incident_id=iid,
                    status=status,
                    risk=risk,
                    risk_reasoning=reasoning,
                    containment=containment,
                    owner=owner,
                ),
                "Incident updated.",
                key=submission_key(PROGRESS, iid, status, risk, owner, reasoning, containment),
            )
    _authority_form(principal, iid)
    _people_form(principal, iid)


def _authority_form(principal: Principal, iid: int) -> None:
    with st.form(form_key(AUTHORITY)):
        st.markdown("**Notice to a supervisory authority or state officer**")
        regime = st.selectbox("Regime", AUTHORITY_REGIMES)
        at = moment_input("Notified")
        reason = st.text_area("Reasons for the delay (required after 72 hours, Art. 33(1))")
        if st.form_submit_button("Record authority notice") and regime is not None and at is not None:
            submit(
                AUTHORITY,
                lambda s: record_authority_notice(
                    session=s, principal=principal, incident_id=iid, regime=regime, at=at, delay_reason=reason
                ),
                "Authority notice recorded.",
                key=submission_key(AUTHORITY, iid, regime, at, reason),
            )


def _people_form(principal: Principal, iid: int) -> None:
    with st.form(form_key(PEOPLE)):
        st.markdown("**Notice to the people affected** (everyone not told yet)")
        channel = st.selectbox("Channel", CHANNELS)
        at = moment_input("Told")
        if st.form_submit_button("Record notice to people") and channel is not None and at is not None:
            submit(
                PEOPLE,
                lambda s: record_people_notice(
                    session=s, principal=principal, incident_id=iid, at=at, channel=channel
                ),
                lambda told: f"{told} person(s) recorded as told.",
                key=submission_key(PEOPLE, iid, channel, at),
            )
