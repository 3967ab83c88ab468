"""Signing staff in: password check, lockout after repeated failures, and an audit entry every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.lockout import is_locked, register_failure
from dashboard.auth.passwords import verify_password
from data_access.models import StaffAccount
from data_access.models.enums import Role


@dataclass(frozen=True)
class Principal:
    """Who is signed in: all a page or service needs to decide what they may see and do."""

    username: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class SignInRefused:
    """A refused sign-in. Returned, not raised, so the caller still commits the failure count and audit."""

    message: str


GENERIC_FAILURE = "Unknown username or wrong password."


def sign_in(*, session: Session, username: str, password: str, now: datetime) -> Principal | SignInRefused:
    """Check credentials; count failures and lock after too many. The caller commits either outcome."""
    username = username.strip().lower()
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
    if account is None or account.disabled or account.password_hash is None:
        record(session=session, actor=username or "(blank)", role="anonymous", action="auth.sign_in_failed",
               details={"reason": "unknown or disabled account"}, now=now)
        return SignInRefused(GENERIC_FAILURE)
    if is_locked(account.locked_until, now):
        record(session=session, actor=username, role=account.role, action="auth.sign_in_refused",
               details={"reason": "account locked"}, now=now)
        return SignInRefused("This account is locked after repeated failed sign-ins; try again in 15 minutes.")
    if not verify_password(account.password_hash, password):
        account.failed_attempts, account.locked_until = register_failure(account.failed_attempts, now)
        record(session=session, actor=username, role=account.role, action="auth.sign_in_failed",
               details={"reason": "wrong password", "failed_attempts": account.failed_attempts}, now=now)
        return SignInRefused(GENERIC_FAILURE)
    account.failed_attempts, account.locked_until, account.last_login_at = 0, None, now
    record(session=session, actor=username, role=account.role, action="auth.sign_in", now=now)
    return Principal(username=account.username, display_name=account.display_name, role=Role(account.role))
