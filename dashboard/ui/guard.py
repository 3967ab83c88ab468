"""The guard every page calls on its first line: sign-in, idle expiry and the role check.

Pages can be reached by URL before the router has run (Streamlit's legacy `pages/`
discovery right after a server start), so the check lives in the page, not only in
navigation; a refused page is audited and stops before any data is read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import streamlit as st

from dashboard.audit.log import ANONYMOUS, record, typed_value_digest
from dashboard.auth.lockout import is_idle_expired
from dashboard.auth.roles import may_open
from dashboard.auth.service import Principal, SignInRefused, sign_in
from dashboard.auth.web_sessions import SESSION_COOKIE, end_web_session, principal_for_token
from dashboard.services.staff import enabled_demo_accounts, principal_for_identity
from dashboard.settings import KeySettingError, audit_key, get_settings, pseudonym_key
from dashboard.ui.resources import page_transaction, read_session, write_session
from dashboard.ui.sidebar import render_sidebar
from dashboard.ui.text import as_text
from dashboard.web.sign_in import SIGN_IN_PATH, local_path, sign_in_routes_mounted

PRINCIPAL_KEY = "principal"
LAST_SEEN_KEY = "last_seen"


def current_principal(now: datetime | None = None) -> Principal | None:
    """The signed-in staff member, or None once 30 idle minutes have passed.

    With a session cookie (set by the sign-in route of serve.py) the database row decides on every run, so a
    refresh, a new tab, sign-out elsewhere, idle expiry and a disabled account all behave alike."""
    now = now or datetime.now(UTC)
    if token := _session_token():
        return _cookie_principal(token, now)
    principal = st.session_state.get(PRINCIPAL_KEY)
    if principal is None and sso_configured() and st.user.is_logged_in:
        principal = _sso_principal(now)
    if principal is None:
        return None
    last_seen = st.session_state.get(LAST_SEEN_KEY, now)
    if is_idle_expired(last_seen, now):
        sign_out(reason="idle timeout")
        st.session_state["signed_out_message"] = "Your session ended after 30 minutes without activity."
        return None
    st.session_state[LAST_SEEN_KEY] = now
    return principal  # type: ignore[no-any-return]


def _session_token() -> str | None:
    """The sign-in cookie of this browser session; None without one (and in AppTest, which has no request)."""
    token = st.context.cookies.get(SESSION_COOKIE)
    return token if isinstance(token, str) and token else None


def _cookie_principal(token: str, now: datetime) -> Principal | None:
    # not write_session: refreshing the idle clock must not clear every cached query on every rerun
    with page_transaction() as session:
        principal = principal_for_token(session=session, token=token, now=now)
    if principal is None:
        if st.session_state.pop(PRINCIPAL_KEY, None) is not None:
            st.session_state["signed_out_message"] = "Your session has ended; please sign in again."
        return None
    st.session_state[PRINCIPAL_KEY], st.session_state[LAST_SEEN_KEY] = principal, now
    return principal


def refuse_unsafe_production() -> None:
    """With COMPLIANCE_ENV=production, stop everything while a demo account (known password) is enabled, or
    without an audit key (the audit log could not be sealed) or a pseudonym key (auditors could not
    be shown who is who without being told who)."""
    if not get_settings().is_production:
        return
    try:
        audit_key()
        pseudonym_key()
    except KeySettingError as missing:
        st.error(
            f"This dashboard is configured for production (COMPLIANCE_ENV=production) but {missing}. It will "
            "not start until the key is set."
        )
        st.stop()
    with read_session() as session:
        demo = enabled_demo_accounts(session=session)
    if demo:
        st.error(
            f"This dashboard is configured for production (COMPLIANCE_ENV=production) but the demo accounts "
            f"{as_text(', '.join(demo))} are enabled, with a published password. It will not "
            "start until they are "
            "disabled: `compliance staff disable NAME`."
        )
        st.stop()


def require_role(page: str) -> Principal:
    """Return the principal allowed on `page`, or render sign-in / refusal and stop the script."""
    refuse_unsafe_production()
    principal = current_principal()
    if principal is None:
        render_sign_in()
        st.stop()
    assert principal is not None
    if not may_open(principal.role, page):
        with write_session() as session:
            record(
                session=session,
                actor=principal.username,
                role=principal.role,
                action="access.denied",
                object_type="page",
                object_id=page,
            )
        st.error(f"Your role ({principal.role}) may not open this page. The attempt was recorded.")
        render_sidebar(principal, sign_out)
        st.stop()
    render_sidebar(principal, sign_out)
    return principal


def sso_configured() -> bool:
    """Single sign-on is offered when .streamlit/secrets.toml has an [auth] section (see
    secrets.toml.example)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _sso_principal(now: datetime) -> Principal | None:
    """The staff account of the identity the provider signed in; unknown identities are refused and
    audited."""
    email, subject = st.user.get("email"), st.user.get("sub")
    with write_session() as session:
        principal = principal_for_identity(
            session=session, email=str(email) if email else None, subject=str(subject) if subject else None
        )
        if principal is not None:
            record(session=session, actor=principal.username, role=principal.role, action="auth.sso_sign_in")
        else:
            # an identity with no staff account: only a digest of it (no one's email in the audit
            # log in clear)
            record(
                session=session,
                actor=ANONYMOUS,
                role="none",
                action="auth.sso_refused",
                details={"identity_digest": typed_value_digest(str(email or subject or "unknown"))},
            )
    if principal is None:
        st.session_state["signed_out_message"] = "Your single sign-on identity has no staff account here."
        return None
    st.session_state[PRINCIPAL_KEY], st.session_state[LAST_SEEN_KEY] = principal, now
    return principal


def render_sign_in() -> None:
    st.title("Interface Billing · Compliance")
    st.caption("Sign in with your staff account.")
    if message := st.session_state.pop("signed_out_message", None):
        st.info(message)
    if sso_configured():
        st.button("Sign in with single sign-on", on_click=st.login)
    if sign_in_routes_mounted():  # served by serve.py: the HTTP form sets the cookie that survives a refresh
        st.link_button("Sign in", f"{SIGN_IN_PATH}?next={quote(_current_path())}", type="primary")
        return
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
        st.error(as_text(outcome.message))
        return
    st.session_state[PRINCIPAL_KEY] = outcome
    st.session_state[LAST_SEEN_KEY] = now
    st.rerun()


def _current_path() -> str:
    """The page path to come back to after signing in ("/" when unknown)."""
    return local_path(urlsplit(st.context.url or "/").path or "/")


def sign_out(reason: str = "sign out") -> None:
    principal = st.session_state.pop(PRINCIPAL_KEY, None)
    st.session_state.pop(LAST_SEEN_KEY, None)
    if token := _session_token():
        with write_session() as session:
            end_web_session(session=session, token=token, reason=reason, now=datetime.now(UTC))
    elif principal is not None:
        with write_session() as session:
            record(
                session=session,
                actor=principal.username,
                role=principal.role,
                action="auth.sign_out",
                details={"reason": reason},
            )
    if sso_configured() and st.user.is_logged_in:
        st.logout()  # also end the provider-backed session, or the next run would sign in again
