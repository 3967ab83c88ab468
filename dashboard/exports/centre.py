"""The export centre's actions: each builds one export for the principal's view and writes the audit log."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import current_head, record
from dashboard.auth.service import Principal
from dashboard.exports.cover import export_cover
from dashboard.exports.evidence import EvidencePackage, build_evidence_package, report_pdf
from dashboard.exports.registers import period_registers
from dashboard.exports.workbook import build_workbook


def export_pdf(
    *, session: Session, principal: Principal, since: datetime, until: datetime, now: datetime, tz: str
) -> bytes:
    content = report_pdf(session=session, principal=principal, since=since, until=until, now=now, tz=tz)
    _audit(session, principal, "export.pdf", since, until, content)
    return content


def export_workbook(
    *, session: Session, principal: Principal, since: datetime, until: datetime, tz: str, now: datetime
) -> bytes:
    registers = period_registers(session=session, principal=principal, since=since, until=until, tz=tz)
    content = build_workbook(
        registers.frames,
        titles=registers.titles,
        cover=export_cover(
            principal=principal,
            since=since,
            until=until,
            generated=now,
            audit_head=current_head(session=session),
        ),
    )
    _audit(session, principal, "export.xlsx", since, until, content)
    return content


def export_evidence(
    *, session: Session, principal: Principal, since: datetime, until: datetime, now: datetime, tz: str
) -> EvidencePackage:
    return build_evidence_package(
        session=session, principal=principal, since=since, until=until, now=now, tz=tz
    )


def _audit(
    session: Session, principal: Principal, action: str, since: datetime, until: datetime, content: bytes
) -> None:
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action=action,
        object_type="period",
        object_id=f"{since:%Y-%m-%d}/{until:%Y-%m-%d}",
        details={"sha256": hashlib.sha256(content).hexdigest()},
    )
