"""Signing staff in: password check, lockout after repeated failures, and an audit entry every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import ANONYMOUS, record, typed_value_digest
from dashboard.auth.lockout import is_locked, register_failure
from dashboard.auth.passwords import dummy_hash, verify_password
from data_access import staff_repo
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


# One answer for every refusal (item 10 of the hardening issue): an unknown name, a disabled or password-less
# account, a wrong password and a locked account all read alike, so the answer does not tell which
# usernames exist.
GENERIC_FAILURE = (
    "Unknown username or wrong password. After five failed attempts an account is locked for 15 minutes."
)


def sign_in(*, session: Session, username: str, password: str, now: datetime) -> Principal | SignInRefused:
    """Check credentials; count failures and lock after too many. The caller commits either outcome.

    Every attempt verifies exactly one Argon2 hash (a dummy one when there is no usable account), so
    an unknown username takes as long as a known one. What was typed is not authenticated and may be
    anyone's email: a refusal records it only as a keyed digest, under the actor "anonymous" (item
    1)."""
    username = username.strip().lower()
    account = staff_repo.account_by_username(session, username)
    usable = account is not None and not account.disabled and account.password_hash is not None
    stored_hash = account.password_hash if account is not None and usable else None
    password_ok = verify_password(stored_hash or dummy_hash(), password)
    if account is None or not usable:
        return _refuse(session, username, "auth.sign_in_failed", now, reason="unknown or disabled account")
    if is_locked(account.locked_until, now):
        return _refuse(session, username, "auth.sign_in_refused", now, reason="account locked")
    if not password_ok:
        account.failed_attempts, account.locked_until = register_failure(account.failed_attempts, now)
        return _refuse(
            session,
            username,
            "auth.sign_in_failed",
            now,
            reason="wrong password",
            failed_attempts=account.failed_attempts,
            locked=account.locked_until is not None,
        )
    account.failed_attempts, account.locked_until, account.last_login_at = 0, None, now
    record(session=session, actor=username, role=account.role, action="auth.sign_in", now=now)
    return Principal(username=account.username, display_name=account.display_name, role=Role(account.role))


def _refuse(session: Session, typed: str, action: str, now: datetime, **details: object) -> SignInRefused:
    record(
        session=session,
        actor=ANONYMOUS,
        role=ANONYMOUS,
        action=action,
        details={"username_digest": typed_value_digest(typed), **details},
        now=now,
    )
    return SignInRefused(GENERIC_FAILURE)
