"""The guard every page calls on its first line: sign-in, idle expiry and the role check.

Pages can be reached by URL before the router has run (Streamlit's legacy `pages/`
discovery right after a server start), so the check lives in the page, not only in
navigation; a refused page is audited and stops before any data is read.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard.audit.log import record
from dashboard.auth.lockout import is_idle_expired
from dashboard.auth.roles import may_open
from dashboard.auth.service import Principal, SignInRefused, sign_in
from dashboard.ui.resources import write_session
from dashboard.ui.sidebar import render_sidebar

PRINCIPAL_KEY = "principal"
LAST_SEEN_KEY = "last_seen"


def current_principal(now: datetime | None = None) -> Principal | None:
    """The signed-in staff member, or None once 30 idle minutes have passed."""
    now = now or datetime.now(UTC)
    principal = st.session_state.get(PRINCIPAL_KEY)
    if principal is None:
        return None
    last_seen = st.session_state.get(LAST_SEEN_KEY, now)
    if is_idle_expired(last_seen, now):
        sign_out(reason="idle timeout")
        st.session_state["signed_out_message"] = "Your session ended after 30 minutes without activity."
        return None
    st.session_state[LAST_SEEN_KEY] = now
    return principal  # type: ignore[no-any-return]


def require_role(page: str) -> Principal:
    """Return the principal allowed on `page`, or render sign-in / refusal and stop the script."""
    principal = current_principal()
    if principal is None:
        render_sign_in()
        st.stop()
    assert principal is not None
    if not may_open(principal.role, page):
        with write_session() as session:
            record(session=session, actor=principal.username, role=principal.role, action="access.denied",
                   object_type="page", object_id=page)
        st.error(f"Your role ({principal.role}) may not open this page. The attempt was recorded.")
        render_sidebar(principal)
        st.stop()
    render_sidebar(principal)
    return principal


def render_sign_in() -> None:
    st.title("Interface Billing · Compliance")
    st.caption("Sign in with your staff account.")
    if message := st.session_state.pop("signed_out_message", None):
        st.info(message)
    with st.form("sign_in"):
        username = st.text_input("Username", key="sign_in_username")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    now = datetime.now(UTC)
    with write_session() as session:
        outcome = sign_in(session=session, username=username, password=password, now=now)
    if isinstance(outcome, SignInRefused):
        st.error(outcome.message)
        return
    st.session_state[PRINCIPAL_KEY] = outcome
    st.session_state[LAST_SEEN_KEY] = now
    st.rerun()


def sign_out(reason: str = "sign out") -> None:
    principal = st.session_state.pop(PRINCIPAL_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if principal is not None:
        with write_session() as session:
            record(session=session, actor=principal.username, role=principal.role, action="auth.sign_out",
                   details={"reason": reason})
