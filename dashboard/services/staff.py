"""Staff accounts: create, change password or role, disable, list; the production guard against demo accounts.

Passwords are hashed with Argon2id and never logged or returned; every change is audited (without them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.passwords import WeakPasswordError, hash_password, validate_new_password
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.auth.web_sessions import end_all_web_sessions
from dashboard.rules.field_error import FieldError
from data_access import staff_repo
from data_access.models import StaffAccount
from data_access.models.enums import Role


class StaffInputError(FieldError):
    """A staff-account change that is refused."""


@dataclass(frozen=True)
class StaffRow:
    username: str
    display_name: str
    role: str
    enabled: bool
    demo: bool
    email: str | None
    last_login_at: datetime | None


def create_account(
    *,
    session: Session,
    principal: Principal,
    username: str,
    display_name: str,
    role: Role,
    password: str | None,
    email: str | None = None,
) -> StaffAccount:
    """A password account, or (password None) one that signs in only through single sign-on by its email."""
    require(principal.role, "staff.manage")
    username = username.strip()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise StaffInputError("username", "use letters, digits, dots, dashes or underscores")
    if staff_repo.account_by_username(session, username) is not None:
        raise StaffInputError("username", f"{username} already exists")
    if password is None and not email:
        raise StaffInputError(
            "email", "an account without a password needs the email its single sign-on uses"
        )
    account = StaffAccount(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        password_hash=_hashed(password) if password is not None else None,
        email=(email or "").strip().lower() or None,
        is_demo=False,
        disabled=False,
        failed_attempts=0,
    )
    staff_repo.add_account(session, account)
    _audit(session, principal, "staff.create", username, {"role": role.value})
    return account


def change_password(*, session: Session, principal: Principal, username: str, password: str) -> None:
    require(principal.role, "staff.manage")
    account = _get(session, username)
    account.password_hash, account.failed_attempts, account.locked_until = _hashed(password), 0, None
    end_all_web_sessions(
        session=session, account_id=account.id, reason="password changed", now=datetime.now(UTC)
    )
    staff_repo.save(session)
    _audit(session, principal, "staff.password", username, {})


def change_role(*, session: Session, principal: Principal, username: str, role: Role) -> None:
    require(principal.role, "staff.manage")
    account = _get(session, username)
    if account.username == principal.username and role != Role.ADMIN:
        raise StaffInputError("role", "you cannot take the admin role away from yourself")
    account.role = role
    staff_repo.save(session)
    _audit(session, principal, "staff.role", username, {"role": role.value})


def set_enabled(*, session: Session, principal: Principal, username: str, enabled: bool) -> None:
    require(principal.role, "staff.manage")
    account = _get(session, username)
    if account.username == principal.username and not enabled:
        raise StaffInputError("username", "you cannot disable your own account")
    account.disabled = not enabled
    if not enabled:
        end_all_web_sessions(
            session=session, account_id=account.id, reason="account disabled", now=datetime.now(UTC)
        )
    staff_repo.save(session)
    _audit(session, principal, "staff.enable" if enabled else "staff.disable", username, {})


def list_accounts(*, session: Session) -> list[StaffRow]:
    return [
        StaffRow(
            a.username, a.display_name, a.role.value, not a.disabled, a.is_demo, a.email, a.last_login_at
        )
        for a in staff_repo.all_accounts(session)
    ]


def enabled_demo_accounts(*, session: Session) -> list[str]:
    """Demo accounts still enabled: production refuses to start while there is any."""
    return staff_repo.enabled_demo_usernames(session)


def principal_for_identity(*, session: Session, email: str | None, subject: str | None) -> Principal | None:
    """Map a single-sign-on identity (OIDC subject, else verified email) to an enabled staff account."""
    account = None
    if subject:
        account = staff_repo.account_by_subject(session, subject)
    if account is None and email:
        account = staff_repo.account_by_email(session, email.strip().lower())
        if account is not None and subject and account.oidc_subject is None:
            account.oidc_subject = subject  # bind the account to this identity from now on
    if account is None or account.disabled:
        return None
    return Principal(account.username, account.display_name, account.role)


def _get(session: Session, username: str) -> StaffAccount:
    account = staff_repo.account_by_username(session, username)
    if account is None:
        raise StaffInputError("username", f"no staff account {username!r}")
    return account


def _hashed(password: str) -> str:
    try:
        validate_new_password(password)
    except WeakPasswordError as exc:
        raise StaffInputError("password", str(exc)) from exc
    return hash_password(password)


def _audit(
    session: Session, principal: Principal, action: str, username: str, details: dict[str, str]
) -> None:
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action=action,
        object_type="staff",
        object_id=username,
        details=details,
    )
