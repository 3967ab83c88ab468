"""How a request is opened on the Requests page: a click on its queue row, the picker (every
request, open ones first, searchable by typing), or a link ?request=REF. The open request is kept in
the URL, so the address bar can be copied and sent to a colleague."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.auth.service import Principal
from dashboard.ui.components import data_table
from dashboard.ui.text import as_text

TABS = "requests-tab"
REQUEST_TAB = "Request"
PICK = "request-pick"
LINK = "request"  # the query parameter
LINKED = "request-linked"  # the last request the Request tab showed or was opened on by a link


def open_linked_request() -> None:
    """A link to a request (a new one: not the one the Request tab last showed) opens the Request
    tab; then the user's choice of tab holds. Set in the session, not as the tabs' default: a
    default that changed from one run to the next would make Streamlit reset the tabs to the first
    one."""
    linked = st.query_params.get(LINK)
    if linked is not None and st.session_state.get(LINKED) != linked:
        st.session_state[LINKED] = linked
        st.session_state[TABS] = REQUEST_TAB


def render_queue(principal: Principal, queue: pd.DataFrame) -> None:
    """The queue; a click on a row opens its request in the Request tab."""
    references = [str(reference) for reference in queue["reference"]]
    data_table(
        queue.drop(columns=["version"]),
        principal=principal,
        name="request-queue",
        on_row=lambda position: _open(references[position]),
    )
    st.caption("Click a request to open it.")


def render_request_picker(choices: pd.DataFrame) -> int | None:
    """The id of the request to show: the one clicked, linked or picked; else the most urgent open one."""
    ids = dict(zip(choices["reference"].astype(str), choices["id"].astype(int), strict=True))
    labels = {
        str(row.reference): f"{row.reference} · {row.request_type} · {str(row.status).replace('_', ' ')}"
        for row in choices.itertuples()
    }
    if PICK not in st.session_state or st.session_state[PICK] not in ids:
        linked = st.query_params.get(LINK)
        st.session_state[PICK] = linked if linked in ids else next(iter(ids), None)
        if linked is not None and linked not in ids:
            st.warning(f"No request has the reference {as_text(linked)} from the link; choose one below.")
    chosen = st.selectbox(
        "Request",
        list(ids),
        key=PICK,
        format_func=lambda reference: labels[reference],
        placeholder="no request yet",
        help="Every request, open ones first; type to search.",
    )
    if chosen is None:
        return None
    st.query_params[LINK] = st.session_state[LINKED] = chosen
    return ids[chosen]


def _open(reference: str) -> None:
    st.session_state[PICK] = reference
    st.session_state[TABS] = REQUEST_TAB
