"""One person's inventory on screen: every section with its data categories, masked per role, long
ones paged."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.inventory.labels import category_name
from dashboard.inventory.sections import held_categories, section_categories
from dashboard.privacy.presentation import PERSON_ID, present_value
from dashboard.ui.components import data_table
from dashboard.ui.erasure_follow_through import render_what_is_left
from dashboard.ui.litigation_hold_form import render_litigation_hold
from dashboard.ui.resources import read_session, write_session
from dashboard.ui.text import as_text
from data_access.queries.person_inventory import person_inventory

PAGE_SIZE = 50
PII = {
    "full_name": "user.name",
    "email": "user.contact.email",
    "phone": "user.contact.phone_number",
    "username": "user.account.username",
    "external_ref": "user.unique_id",
    "value": "user.unique_id",
    "address_line": "user.contact.address",
    "billing_address": "user.contact.address",
    "billing_name": "user.name",
    "postal_code": "user.contact.address",
    "city": "user.contact.address",
    "card_last4": "user.financial",
    "ip_address": "user.device.ip_address",
    "user_agent": "user.device.user_agent",
    "consent_reference": "user.unique_id",
}


def render_person_inventory(principal: Principal, person_id: int) -> None:
    with read_session() as session:
        inventory = person_inventory(session=session, person_id=person_id)
    if inventory is None:
        st.warning("No such person.")
        return
    with write_session() as session:
        record(
            session=session,
            actor=principal.username,
            role=principal.role,
            action="person.view",
            object_type="person",
            object_id=person_id,
        )
    shown_id = present_value(
        PERSON_ID, person_id, principal
    )  # here and in file names: the auditor's pseudonym
    left = render_what_is_left(
        principal, person_id
    )  # an erased person: what is actually left, not the data map's
    held = ", ".join(left) or "none" if left is not None else ", ".join(held_categories(inventory))
    st.caption(as_text(f"Person {shown_id}. ") + "Data categories held: " + held)
    render_litigation_hold(principal, person_id, erased=left is not None)
    for section, rows in inventory.sections.items():
        st.subheader(section.replace("_", " ").capitalize())
        st.caption(", ".join(category_name(key) for key in section_categories(section)))
        if not rows:
            st.caption("None held.")
            continue
        if section == "web_activity":
            _web_activity(principal, rows[0], shown_id)
            continue
        frame = pd.DataFrame(rows)
        pages = math.ceil(len(frame) / PAGE_SIZE)
        if pages > 1:
            page = st.number_input(f"Page (of {pages})", 1, pages, 1, key=f"page-{section}")
            frame = frame.iloc[(int(page) - 1) * PAGE_SIZE : int(page) * PAGE_SIZE]
        data_table(frame, principal=principal, name=f"person-{shown_id}-{section}", pii_columns=PII)


def _web_activity(principal: Principal, summary: dict[str, object], shown_id: object) -> None:
    addresses, agents = list(summary["ip_addresses"]), list(summary["user_agents"])  # type: ignore[call-overload]
    st.write(
        f"{summary['requests']:,} requests from {summary['first_seen']:%Y-%m-%d} to "  # type: ignore[str-format]
        f"{summary['last_seen']:%Y-%m-%d}; {len(addresses)} IP address(es), {len(agents)} browser(s)."
    )
    left, right = st.columns(2)
    with left:
        data_table(
            pd.DataFrame({"ip_address": addresses}),
            principal=principal,
            name=f"person-{shown_id}-ips",
            pii_columns=PII,
        )
    with right:
        data_table(
            pd.DataFrame({"user_agent": agents}),
            principal=principal,
            name=f"person-{shown_id}-browsers",
            pii_columns=PII,
        )
