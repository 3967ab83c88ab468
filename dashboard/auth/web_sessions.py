"""Browser sign-ins that survive a refresh and a new tab: an opaque token in an HttpOnly cookie.

The cookie holds 256 random bits; the database holds only their SHA-256. A server-side row, rather than
a self-contained signed cookie, is what lets sign-out, the 30-minute idle limit and disabling an account
end the sign-in everywhere at once: a signed cookie stays valid until it expires.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.lockout import is_idle_expired
from dashboard.auth.service import Principal
from data_access import staff_repo
from data_access.models import StaffAccount, StaffWebSession
from data_access.models.enums import Role

SESSION_COOKIE = "ib_session"
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is rewritten at most this often, not on every rerun


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_web_session(*, session: Session, username: str, now: datetime) -> str:
    """Start a web session for a principal who has just signed in; returns the cookie's token."""
    account = staff_repo.account_by_username(session, username)
    if account is None:
        raise LookupError(f"no staff account {username!r}")
    token = secrets.token_urlsafe(32)
    staff_repo.add_web_session(session, token_sha256=token_digest(token), account_id=account.id, now=now)
    return token


def principal_for_token(*, session: Session, token: str, now: datetime) -> Principal | None:
    """The principal of a live web session, refreshing its idle clock; None once it ended, idled out or the
    account was disabled. The role is read from the account each time, so a role change applies at once."""
    row = staff_repo.web_session_by_digest(session, token_digest(token))
    if row is None:
        return None
    web_session, account = row
    if web_session.ended_at is not None:
        return None
    if account.disabled:
        _end(session, web_session, account, "account disabled", now)
        return None
    if is_idle_expired(web_session.last_seen_at, now):
        _end(session, web_session, account, "idle timeout", now)
        return None
    if now - web_session.last_seen_at >= TOUCH_EVERY:
        web_session.last_seen_at = now
    return Principal(username=account.username, display_name=account.display_name, role=Role(account.role))


def end_web_session(*, session: Session, token: str, reason: str, now: datetime) -> None:
    """Sign-out: the token stops working in every tab; the sign-out is audited."""
    row = staff_repo.web_session_by_digest(session, token_digest(token), live_only=True)
    if row is not None:
        _end(session, row[0], row[1], reason, now)


def end_all_web_sessions(*, session: Session, account_id: int, reason: str, now: datetime) -> None:
    """Used when an account is disabled or its password changed: existing cookies stop working."""
    staff_repo.end_account_web_sessions(session, account_id=account_id, reason=reason, now=now)


def _end(
    session: Session, web_session: StaffWebSession, account: StaffAccount, reason: str, now: datetime
) -> None:
    web_session.ended_at, web_session.end_reason = now, reason
    record(
        session=session,
        actor=account.username,
        role=account.role,
        action="auth.sign_out",
        details={"reason": reason},
        now=now,
    )
