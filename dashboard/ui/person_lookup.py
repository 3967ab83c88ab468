"""Search a person by email, username, user id, phone or identifier; every search is audited."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.privacy.presentation import present, present_value
from dashboard.ui.resources import read_session, write_session
from data_access.queries.people import find_people

MATCH_PII = {"username": "user.account.username", "full_name": "user.name", "email": "user.contact.email",
             "phone": "user.contact.phone_number", "external_ref": "user.unique_id"}


def render_person_lookup(principal: Principal) -> int | None:
    """The chosen person's id, once the search matched exactly one or the user picked one of several."""
    term = st.text_input("Find a person", placeholder="email, username, user id, phone or Google ID")
    if not term:
        return None
    with read_session() as session:
        matches = find_people(session=session, term=term)
    with write_session() as session:
        record(session=session, actor=principal.username, role=principal.role, action="person.search",
               details={"matches": [m.person_id for m in matches]})
    if not matches:
        st.warning("No person matches that value exactly.")
        return None
    frame = present(pd.DataFrame([asdict(m) for m in matches]), principal, columns=MATCH_PII)
    if len(matches) == 1:
        return matches[0].person_id
    st.dataframe(frame, hide_index=True, width="stretch")
    order = {m.person_id: number for number, m in enumerate(matches, start=1)}  # the table's row, as the id may be masked
    return st.selectbox("Several people match; choose one", list(order),
                        format_func=lambda pid: f"{order[pid]}. {present_value('user.unique_id', pid, principal)}")
