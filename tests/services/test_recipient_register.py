"""Recipients are added by the Sharing page's form and by the import through one service (SQLite and
PostgreSQL): the same rules refuse the same entries, naming the field, and every addition is audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.imports.kinds import KINDS
from dashboard.imports.runner import import_file
from dashboard.services.recipient_register import RecipientInput, RecipientInputError, add_recipient
from data_access.models import AuditEntry, Recipient
from data_access.models.enums import ContractStatus, RecipientRole, Role

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
GOOD = RecipientInput(
    name="Help desk SaaS",
    role=RecipientRole.TECHNOLOGY_PLATFORM,
    country="ie",
    contract_status=ContractStatus.SIGNED,
    approved=True,
    dpa_signed_on=date(2025, 3, 1),
    allowed_categories=("user.contact.email", "user.name"),
)
FUTURE = datetime.now(UTC).date() + timedelta(days=2)
REFUSED = [
    ({"name": "  "}, "name"),
    ({"country": "Ireland"}, "country"),
    ({"dpa_signed_on": FUTURE}, "dpa_signed_on"),
    ({"allowed_categories": ("user.contact.fax",)}, "allowed_categories"),
]


def test_a_recipient_is_registered_with_its_dpa_status_and_audited(session: Session) -> None:
    recipient = add_recipient(session=session, principal=MANAGER, entry=GOOD)
    session.commit()
    stored = session.get(Recipient, recipient.id)
    assert stored is not None and (stored.country, stored.contract_status, stored.approved) == (
        "IE",
        "signed",
        True,
    )
    assert stored.allowed_categories == ["user.contact.email", "user.name"]
    assert session.scalar(select(func.count()).where(AuditEntry.action == "recipient.add")) == 1


@pytest.mark.parametrize(("change", "field"), REFUSED)
def test_the_form_refuses_an_entry_the_checks_could_not_read_naming_the_field(
    session: Session, change: dict[str, object], field: str
) -> None:
    with pytest.raises(RecipientInputError) as refused:
        add_recipient(session=session, principal=MANAGER, entry=replace(GOOD, **change))  # type: ignore[arg-type]
    assert refused.value.field == field
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Recipient)) == 0


def test_a_name_already_registered_and_a_non_manager_are_refused(session: Session) -> None:
    add_recipient(session=session, principal=MANAGER, entry=GOOD)
    with pytest.raises(RecipientInputError, match="already in the register"):
        add_recipient(session=session, principal=MANAGER, entry=replace(GOOD, name=" Help desk SaaS "))
    with pytest.raises(AccessDenied):
        add_recipient(
            session=session,
            principal=Principal("auditor", "A", Role.AUDITOR),
            entry=replace(GOOD, name="Other"),
        )


@pytest.mark.parametrize(("change", "field"), REFUSED[1:])
def test_the_import_refuses_the_same_entries_with_the_same_field(
    session: Session, change: dict[str, object], field: str
) -> None:
    row = {
        "name": GOOD.name,
        "role": GOOD.role.value,
        "country": GOOD.country,
        "contract_status": "signed",
        "dpa_signed_on": "2025-03-01",
        "approved": "true",
        "allowed_categories": "user.contact.email",
    }
    value = change[field]
    row[field] = ";".join(value) if isinstance(value, tuple) else str(value)
    data = (",".join(row) + "\n" + ",".join(row.values()) + "\n").encode()
    report = import_file(
        session=session, principal=MANAGER, kind=KINDS["recipients"], data=data, source="r.csv"
    )
    session.commit()
    assert [(e.line, e.field) for e in report.errors] == [(2, field)]
    assert session.scalar(select(func.count()).select_from(Recipient)) == 0
