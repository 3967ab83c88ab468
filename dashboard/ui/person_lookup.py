"""Search a person by part of a name, email or phone, or by username, user id or identifier; every search is
audited by what it found, never by the term (which may be a person's name)."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.privacy.presentation import PERSON_ID, present, present_value
from dashboard.ui.resources import read_session, write_session
from dashboard.ui.table_view import show_table
from data_access.queries.people import MIN_PARTIAL, SEARCH_LIMIT, search_people

MATCH_PII = {
    "username": "user.account.username",
    "full_name": "user.name",
    "email": "user.contact.email",
    "phone": "user.contact.phone_number",
    "external_ref": "user.unique_id",
}


def render_person_lookup(
    principal: Principal, *, key: str | None = None, label: str = "Find a person"
) -> int | None:
    """The chosen person's id, once the search matched exactly one or the user picked one of
    several; `key` tells apart two searches on one page."""
    term = st.text_input(
        label,
        key=key,
        placeholder="name or part of it, email, phone, username, user id, Google ID",
        help=f"Part of a name, email or phone needs {MIN_PARTIAL} or more characters; shorter "
        "terms match a whole value only. Best matches first, at most "
        f"{SEARCH_LIMIT}.",
    )
    if not term:
        return None
    with read_session() as session:
        matches = search_people(session=session, term=term)
    with write_session() as session:  # the count and who, not the term: it may be a person's name
        record(
            session=session,
            actor=principal.username,
            role=principal.role,
            action="person.search",
            details={"count": len(matches), "matches": [m.person_id for m in matches]},
        )
    if not matches:
        st.warning(
            "No person matches."
            if len(term.strip()) >= MIN_PARTIAL
            else f"No person has that value; part of a name, email or phone needs {MIN_PARTIAL} characters."
        )
        return None
    frame = present(pd.DataFrame([asdict(m) for m in matches]), principal, columns=MATCH_PII)
    if len(matches) == 1:
        return matches[0].person_id
    show_table(frame)
    if len(matches) == SEARCH_LIMIT:
        st.caption(f"The best {SEARCH_LIMIT} matches; type more to narrow them.")
    order = {
        m.person_id: number for number, m in enumerate(matches, start=1)
    }  # the table's row, as the id may be masked
    return st.selectbox(
        "Several people match; choose one",
        list(order),
        key=None if key is None else f"{key}-choice",
        format_func=lambda pid: f"{order[pid]}. {present_value(PERSON_ID, pid, principal)}",
    )
