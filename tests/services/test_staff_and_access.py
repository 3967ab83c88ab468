"""Staff accounts, single-sign-on mapping, the production guard, concurrent audit writers and the whole
role x action matrix at the service level (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from dashboard.audit.log import record, verify
from dashboard.auth import service as sign_in_service
from dashboard.auth.roles import ACTION_ROLES, AccessDenied, require
from dashboard.auth.service import GENERIC_FAILURE, Principal, SignInRefused, sign_in
from dashboard.services.staff import (
    StaffInputError,
    change_password,
    change_role,
    create_account,
    enabled_demo_accounts,
    principal_for_identity,
    set_enabled,
)
from data_access.db import session_factory
from data_access.models import AuditEntry, StaffAccount
from data_access.models.enums import Role

ADMIN = Principal("root", "Root", Role.ADMIN)
NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)


@pytest.mark.parametrize("action", sorted(ACTION_ROLES))
@pytest.mark.parametrize("role", list(Role))
def test_every_action_is_refused_to_every_role_not_granted_it(action: str, role: Role) -> None:
    if role in ACTION_ROLES[action]:
        require(role, action)
    else:
        with pytest.raises(AccessDenied):
            require(role, action)
    with pytest.raises(AccessDenied):
        require(None, action)


def test_accounts_are_created_changed_and_disabled_with_audit_and_without_passwords(session: Session) -> None:
    create_account(
        session=session,
        principal=ADMIN,
        username="j.doe",
        display_name="Jo Doe",
        role=Role.AUDITOR,
        password="correct horse battery",
    )
    session.commit()
    stored = session.scalar(select(StaffAccount).where(StaffAccount.username == "j.doe"))
    assert stored is not None and stored.password_hash and "correct horse" not in stored.password_hash
    assert isinstance(
        sign_in(session=session, username="j.doe", password="correct horse battery", now=NOW), Principal
    )
    change_role(session=session, principal=ADMIN, username="j.doe", role=Role.MANAGER)
    change_password(session=session, principal=ADMIN, username="j.doe", password="another long phrase")
    set_enabled(session=session, principal=ADMIN, username="j.doe", enabled=False)
    session.commit()
    assert not isinstance(
        sign_in(session=session, username="j.doe", password="another long phrase", now=NOW), Principal
    )
    details = " ".join(str(d) for d in session.scalars(select(AuditEntry.details)))
    assert "horse" not in details and "phrase" not in details
    assert session.scalar(select(func.count()).where(AuditEntry.action.like("staff.%"))) == 4


def test_every_refused_sign_in_costs_one_password_hash_and_answers_alike(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 10: an unknown username was answered without hashing (10x faster) and only known accounts were
    "locked". Every path now verifies one Argon2 hash (a dummy one when there is no account) and
    says the same."""
    for name, password in (
        ("known", "correct horse battery"),
        ("gone", "correct horse battery"),
        ("locked", "correct horse battery"),
    ):
        create_account(
            session=session,
            principal=ADMIN,
            username=name,
            display_name=name,
            role=Role.MANAGER,
            password=password,
        )
    create_account(
        session=session,
        principal=ADMIN,
        username="sso.only",
        display_name="S",
        role=Role.MANAGER,
        password=None,
        email="sso@example.com",
    )
    set_enabled(session=session, principal=ADMIN, username="gone", enabled=False)
    for _ in range(5):
        sign_in(session=session, username="locked", password="wrong guess", now=NOW)
    hashed: list[str] = []
    real = sign_in_service.verify_password
    monkeypatch.setattr(
        sign_in_service, "verify_password", lambda stored, plain: hashed.append(stored) or real(stored, plain)
    )
    messages = set()
    for username, password in (
        ("nobody", "any guess"),
        ("sso.only", "any guess"),
        ("gone", "correct horse battery"),
        ("known", "wrong guess"),
        ("locked", "correct horse battery"),
        ("", ""),
    ):
        hashed.clear()
        outcome = sign_in(session=session, username=username, password=password, now=NOW)
        assert isinstance(outcome, SignInRefused), username
        assert len(hashed) == 1 and hashed[0].startswith("$argon2id$"), (username, hashed)
        messages.add(outcome.message)
    assert messages == {GENERIC_FAILURE}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "bad name!"}, "username"),
        ({"password": "short"}, "password"),
        ({"password": None, "email": None}, "email"),
    ],
)
def test_bad_account_input_names_the_field(session: Session, kwargs: dict[str, object], field: str) -> None:
    values: dict[str, object] = {
        "username": "ok.name",
        "display_name": "Ok",
        "role": Role.MANAGER,
        "password": "long enough password",
        "email": None,
    } | kwargs
    with pytest.raises(StaffInputError) as error:
        create_account(session=session, principal=ADMIN, **values)  # type: ignore[arg-type]
    assert error.value.field == field


def test_only_admins_manage_staff(session: Session) -> None:
    with pytest.raises(AccessDenied):
        create_account(
            session=session,
            principal=Principal("m", "M", Role.MANAGER),
            username="x",
            display_name="x",
            role=Role.ADMIN,
            password="long enough password",
        )


def test_sso_identities_map_to_enabled_accounts_by_subject_then_email(session: Session) -> None:
    create_account(
        session=session,
        principal=ADMIN,
        username="sso.user",
        display_name="S",
        role=Role.EXECUTIVE,
        password=None,
        email="S.User@Example.com",
    )
    first = principal_for_identity(session=session, email="s.user@example.com", subject="sub-1")
    assert first is not None and first.role == Role.EXECUTIVE
    assert (
        principal_for_identity(session=session, email=None, subject="sub-1") == first
    )  # bound to the subject
    assert principal_for_identity(session=session, email="stranger@example.com", subject="sub-2") is None
    set_enabled(session=session, principal=ADMIN, username="sso.user", enabled=False)
    assert principal_for_identity(session=session, email=None, subject="sub-1") is None


def test_enabled_demo_accounts_are_reported_until_disabled(session: Session) -> None:
    session.add(
        StaffAccount(
            username="manager",
            display_name="Demo",
            role=Role.MANAGER,
            is_demo=True,
            disabled=False,
            failed_attempts=0,
        )
    )
    session.flush()
    assert enabled_demo_accounts(session=session) == ["manager"]
    set_enabled(session=session, principal=ADMIN, username="manager", enabled=False)
    assert enabled_demo_accounts(session=session) == []


def test_parallel_writers_never_fork_the_audit_chain(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers itself; the race this guards against is PostgreSQL's")
    factory = session_factory(engine)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with factory() as session, session.begin():
                    record(
                        session=session,
                        actor=f"w{n}",
                        role="manager",
                        action="test.parallel",
                        details={"i": i},
                    )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with factory() as session:
        verdict = verify(session=session)
        assert verdict.ok and verdict.checked == 90
        assert session.execute(text("SELECT COUNT(DISTINCT prev_hash) FROM audit_log")).scalar() == 90
