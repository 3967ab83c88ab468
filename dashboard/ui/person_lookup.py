"""Search a person by email, username, user id, phone or identifier; every search is audited."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.ui.components import present_for_role
from dashboard.ui.resources import read_session, write_session
from data_access.queries.people import find_people

MATCH_PII = {"username": "user.account.username", "full_name": "user.name", "email": "user.contact.email",
             "phone": "user.contact.phone_number"}


def render_person_lookup(principal: Principal) -> None:
    term = st.text_input("Find a person", placeholder="email, username, user id, phone or Google ID")
    if not term:
        return
    with read_session() as session:
        matches = find_people(session=session, term=term)
    with write_session() as session:
        record(session=session, actor=principal.username, role=principal.role, action="person.search",
               details={"matches": [m.person_id for m in matches]})
    if not matches:
        st.warning("No person matches that value exactly.")
        return
    frame = pd.DataFrame([asdict(m) for m in matches])
    st.dataframe(present_for_role(frame, principal, MATCH_PII), hide_index=True, width="stretch")
