"""Staff accounts and their browser sessions as stored (the rules: dashboard.services.staff and
dashboard.auth); the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.models import StaffAccount, StaffWebSession


def account_by_username(session: Session, username: str) -> StaffAccount | None:
    return session.scalar(select(StaffAccount).where(StaffAccount.username == username))


def account_by_subject(session: Session, subject: str) -> StaffAccount | None:
    """The account bound to this single-sign-on (OIDC) subject."""
    return session.scalar(select(StaffAccount).where(StaffAccount.oidc_subject == subject))


def account_by_email(session: Session, email: str) -> StaffAccount | None:
    return session.scalar(select(StaffAccount).where(StaffAccount.email == email))


def all_accounts(session: Session) -> Sequence[StaffAccount]:
    return session.scalars(select(StaffAccount).order_by(StaffAccount.username)).all()


def enabled_demo_usernames(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(StaffAccount.username)
            .where(StaffAccount.is_demo.is_(True), StaffAccount.disabled.is_(False))
            .order_by(StaffAccount.username)
        )
    )


def add_account(session: Session, account: StaffAccount) -> None:
    session.add(account)
    session.flush()


def save(session: Session) -> None:
    """Write the changes made to loaded accounts now, so a refused change fails inside the caller's step."""
    session.flush()


# --- browser sessions ---------------------------------------------------------------------------------------
def add_web_session(session: Session, *, token_sha256: str, account_id: int, now: datetime) -> None:
    session.add(
        StaffWebSession(
            token_sha256=token_sha256, staff_account_id=account_id, created_at=now, last_seen_at=now
        )
    )


def web_session_by_digest(
    session: Session, token_sha256: str, *, live_only: bool = False
) -> tuple[StaffWebSession, StaffAccount] | None:
    """The web session with this token digest and its account (live_only: not yet ended)."""
    statement = (
        select(StaffWebSession, StaffAccount)
        .join(StaffAccount, StaffAccount.id == StaffWebSession.staff_account_id)
        .where(StaffWebSession.token_sha256 == token_sha256)
    )
    if live_only:
        statement = statement.where(StaffWebSession.ended_at.is_(None))
    row = session.execute(statement).one_or_none()
    return None if row is None else (row[0], row[1])


def end_account_web_sessions(session: Session, *, account_id: int, reason: str, now: datetime) -> None:
    session.execute(
        update(StaffWebSession)
        .where(StaffWebSession.staff_account_id == account_id, StaffWebSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    )
