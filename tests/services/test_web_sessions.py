"""Web sessions behind the sign-in cookie (SQLite and PostgreSQL): idle expiry, sign-out, disabling an account
and changing its password end them; a role change applies at the next request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.auth.web_sessions import end_web_session, open_web_session, principal_for_token, token_digest
from dashboard.services.staff import change_password, change_role, create_account, set_enabled
from data_access.models import AuditEntry, StaffWebSession
from data_access.models.enums import Role

ADMIN = Principal("root", "Root", Role.ADMIN)
NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)


def _signed_in(session: Session, username: str = "ann") -> str:
    create_account(
        session=session,
        principal=ADMIN,
        username=username,
        display_name="Ann",
        role=Role.MANAGER,
        password="correct horse battery",
    )
    token = open_web_session(session=session, username=username, now=NOW)
    session.commit()
    return token


def test_the_database_keeps_only_the_tokens_digest(session: Session) -> None:
    token = _signed_in(session)
    stored = session.scalars(select(StaffWebSession.token_sha256)).one()
    assert stored == token_digest(token) and token not in stored


def test_a_session_stays_alive_while_used_and_ends_after_30_idle_minutes(session: Session) -> None:
    token = _signed_in(session)
    at = NOW
    for _ in range(4):  # used every 29 minutes for two hours: never idle for 30
        at += timedelta(minutes=29)
        assert principal_for_token(session=session, token=token, now=at) == Principal(
            "ann", "Ann", Role.MANAGER
        )
    assert principal_for_token(session=session, token=token, now=at + timedelta(minutes=30)) is None
    assert principal_for_token(session=session, token=token, now=at + timedelta(minutes=31)) is None
    ended = session.scalars(select(StaffWebSession)).one()
    assert ended.end_reason == "idle timeout"
    assert (
        session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "ann")).all()[-1]
        == "auth.sign_out"
    )


def test_sign_out_ends_the_session_and_an_unknown_token_is_nobody(session: Session) -> None:
    token = _signed_in(session)
    end_web_session(session=session, token=token, reason="sign out", now=NOW)
    assert principal_for_token(session=session, token=token, now=NOW) is None
    assert principal_for_token(session=session, token="not-a-token", now=NOW) is None


def test_disabling_the_account_or_changing_its_password_ends_its_sessions(session: Session) -> None:
    token = _signed_in(session)
    set_enabled(session=session, principal=ADMIN, username="ann", enabled=False)
    set_enabled(session=session, principal=ADMIN, username="ann", enabled=True)
    assert principal_for_token(session=session, token=token, now=NOW) is None
    second = open_web_session(session=session, username="ann", now=NOW)
    change_password(session=session, principal=ADMIN, username="ann", password="another long passphrase")
    assert principal_for_token(session=session, token=second, now=NOW) is None


def test_a_role_change_applies_to_a_live_session(session: Session) -> None:
    token = _signed_in(session)
    change_role(session=session, principal=ADMIN, username="ann", role=Role.AUDITOR)
    principal = principal_for_token(session=session, token=token, now=NOW)
    assert principal is not None and principal.role == Role.AUDITOR
