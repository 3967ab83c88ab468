"""The form to add a sharing record; the service refuses anything the policy does not allow, naming
the field."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard.auth.service import Principal
from dashboard.rules.deadlines import deadline_settings
from dashboard.rules.taxonomy import data_category_keys, data_use_keys
from dashboard.services.sharing_register import SharingInput, record_sharing
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from data_access.models.enums import LegalBasis

FORM = "sharing-record"


def render_sharing_form(principal: Principal, recipients: pd.DataFrame) -> None:
    names = dict(zip(recipients["name"], recipients["id"], strict=True))
    zone = deadline_settings().controller_tz
    show_saved(FORM)
    with st.form(form_key(FORM)):
        left, right = st.columns(2)
        recipient = left.selectbox("Recipient", list(names))
        purpose = right.selectbox(
            "Purpose (fideslang data use)",
            sorted(data_use_keys()),
            index=sorted(data_use_keys()).index("essential.service"),
        )
        categories = st.multiselect("Data categories (fideslang)", sorted(data_category_keys()))
        basis = left.selectbox("Legal basis", list(LegalBasis), format_func=lambda b: b.replace("_", " "))
        scope = right.text_input("Consent scope (when the basis is consent)", placeholder="sharing:feedback")
        day = left.date_input("Shared on", value="today", format="YYYY-MM-DD")
        moment = right.time_input(f"Shared at ({zone})", value="now", step=60)
        people = st.text_area("People included (user ids, separated by commas, spaces or lines)")
        description = st.text_input("Description")
        submitted = st.form_submit_button("Add sharing record", type="primary")
    if not submitted or recipient is None or purpose is None or basis is None:
        return
    ids = tuple(int(token) for token in re.split(r"[\s,;]+", people) if token.isdigit())
    entry = SharingInput(
        recipient_id=int(names[recipient]),
        purpose=purpose,
        categories=tuple(categories),
        legal_basis=basis,
        person_ids=ids,
        consent_scope=scope.strip() or None,
        shared_at=datetime.combine(day, moment, ZoneInfo(zone)),
        description=description.strip() or None,
    )
    submit(
        FORM,
        lambda s: record_sharing(session=s, principal=principal, entry=entry),
        lambda sharing: f"Sharing record {sharing.id} added for {len(ids)} people.",
        key=submission_key(FORM, entry),
    )
