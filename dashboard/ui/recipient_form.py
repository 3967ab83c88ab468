"""The form to add a recipient to the register, through the service the recipients import uses (same
rules)."""

from __future__ import annotations

import streamlit as st

from dashboard.auth.service import Principal
from dashboard.rules.taxonomy import data_category_keys
from dashboard.services.recipient_register import RecipientInput, add_recipient
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from data_access.models.enums import ContractStatus, RecipientRole

FORM = "add-recipient"


def render_recipient_form(principal: Principal) -> None:
    show_saved(FORM)
    with st.form(form_key(FORM)):
        left, right = st.columns(2)
        name = left.text_input("Name")
        role = right.selectbox("Role", list(RecipientRole), format_func=lambda r: r.replace("_", " "))
        country = left.text_input("Country (ISO code)", max_chars=2, placeholder="US, DE, IE")
        contract = right.selectbox("Contract / DPA status", list(ContractStatus))
        signed = left.date_input("DPA signed on (leave empty if not)", value=None, format="YYYY-MM-DD")
        approved = right.checkbox("Approved to receive data")
        allowed = st.multiselect("Allowed data categories (fideslang)", sorted(data_category_keys()))
        submitted = st.form_submit_button("Add recipient", type="primary")
    if not submitted or role is None or contract is None:
        return
    entry = RecipientInput(
        name=name,
        role=role,
        country=country,
        contract_status=contract,
        approved=approved,
        dpa_signed_on=signed,
        allowed_categories=tuple(allowed),
    )
    submit(
        FORM,
        lambda s: add_recipient(session=s, principal=principal, entry=entry),
        lambda recipient: f"Recipient {recipient.name} added to the register.",
        key=submission_key(FORM, entry),
    )
