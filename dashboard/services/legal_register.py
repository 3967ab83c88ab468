"""Logging and progressing a request from an authority: receipt, legal review, disclosure, notice to
the person.

Policy: "We may disclose your information if required to do so by law or in response to valid requests
by public authorities". So data goes out only after a recorded review found the request binding, and
the person is told unless an order prohibits it; when that order lapses, the register says notice is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import require
from dashboard.auth.service import Principal
from dashboard.rules.field_error import FieldError
from dashboard.rules.taxonomy import data_category_keys
from data_access import registers_repo
from data_access.models import LegalRequest
from data_access.models.enums import DisclosureOutcome, LegalRequestType, ReviewDecision
from data_access.rows import set_values
from data_access.types import utcnow

COMPLYING = (ReviewDecision.COMPLY, ReviewDecision.PARTIALLY_COMPLY)


class LegalInputError(FieldError):
    """A legal request or disclosure entry that is refused."""


@dataclass(frozen=True)
class LegalRequestInput:
    authority: str
    jurisdiction: str
    request_type: LegalRequestType
    received_at: datetime
    person_ids: tuple[int, ...]


def log_legal_request(*, session: Session, principal: Principal, entry: LegalRequestInput) -> LegalRequest:
    require(principal.role, "legal.record")
    check_legal_request(session, entry)
    request = LegalRequest(
        reference=f"pending-{utcnow().timestamp()}",
        authority=entry.authority.strip(),
        jurisdiction=entry.jurisdiction.strip(),
        request_type=entry.request_type,
        received_at=entry.received_at,
        categories_disclosed=[],
        recorded_by=principal.username,
    )
    registers_repo.add_legal_request(
        session, request, entry.person_ids, reference=f"LR-{entry.received_at:%Y}-{{id:03d}}"
    )
    _audit(
        session,
        principal,
        "legal.log",
        request,
        {"type": entry.request_type.value, "accounts": len(entry.person_ids)},
    )
    return request


def check_legal_request(session: Session, entry: LegalRequestInput) -> None:
    """Every rule log_legal_request applies, without writing (an import's dry run reads only);
    LegalInputError."""
    if not entry.authority.strip():
        raise LegalInputError("authority", "name the authority that made the request")
    if not entry.jurisdiction.strip():
        raise LegalInputError("jurisdiction", "name the jurisdiction (e.g. US-CA, DE)")
    if entry.received_at.tzinfo is None:
        raise LegalInputError("received_at", "the time received needs a time zone")
    known = registers_repo.stored_person_ids(session, entry.person_ids)
    if missing := sorted(set(entry.person_ids) - known):
        raise LegalInputError("accounts", f"no person with id {', '.join(map(str, missing[:10]))}")


def review(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    reviewer: str,
    decision: ReviewDecision,
    reason: str,
    legal_basis: str | None,
    now: datetime | None = None,
) -> LegalRequest:
    """`now`: when the review was made (default: now); it may be in the past, never in the future."""
    require(principal.role, "legal.record")
    request = _get(session, request_id)
    if now is not None and now > utcnow():
        raise LegalInputError("reviewed_at", "the time of the review is in the future")
    if not reviewer.strip():
        raise LegalInputError("reviewer", "name who reviewed the request")
    if not reason.strip():
        raise LegalInputError("review_reason", "give the reason for the decision")
    if decision in COMPLYING and not (legal_basis and legal_basis.strip()):
        raise LegalInputError("legal_basis", "complying needs the legal basis that makes the request binding")
    values: dict[str, object] = {
        "reviewer": reviewer.strip(),
        "review_decision": decision,
        "review_reason": reason.strip(),
        "legal_basis": (legal_basis or "").strip() or None,
        "reviewed_at": now or utcnow(),
    }
    if decision == ReviewDecision.REJECT:
        values["outcome"] = DisclosureOutcome.NONE
    set_values(session, request, values)
    _audit(session, principal, "legal.review", request, {"decision": decision.value})
    return request


def record_disclosure(
    *,
    session: Session,
    principal: Principal,
    request_id: int,
    outcome: DisclosureOutcome,
    categories: tuple[str, ...],
    disclosed_at: datetime,
    notice_prohibited_until: date | None,
    now: datetime | None = None,
) -> LegalRequest:
    """`disclosed_at` may be in the past (a disclosure recorded after the fact), never in the future."""
    require(principal.role, "legal.record")
    request = _get(session, request_id)
    if disclosed_at.tzinfo is None:
        raise LegalInputError("disclosed_at", "the time of the disclosure needs a time zone")
    if disclosed_at > (now or utcnow()):
        raise LegalInputError("disclosed_at", "the time of the disclosure is in the future")
    if outcome in (DisclosureOutcome.ALL, DisclosureOutcome.SOME):
        if request.review_decision not in COMPLYING or request.reviewed_at is None:
            raise LegalInputError(
                "outcome", "record a legal review deciding to comply before disclosing data"
            )
        if request.reviewed_at > disclosed_at:
            raise LegalInputError("disclosed_at", "the disclosure cannot precede its legal review")
        if not categories:
            raise LegalInputError("categories", "name the data categories disclosed")
    elif categories:
        raise LegalInputError("categories", f"an outcome of {outcome} discloses no categories")
    if unknown := [c for c in categories if c not in data_category_keys()]:
        raise LegalInputError("categories", f"not fideslang data categories: {', '.join(unknown)}")
    set_values(
        session,
        request,
        {
            "outcome": outcome,
            "categories_disclosed": list(categories),
            "disclosed_at": disclosed_at if categories else None,
            "notice_prohibited_until": notice_prohibited_until,
        },
    )
    _audit(
        session,
        principal,
        "legal.disclosure",
        request,
        {"outcome": outcome.value, "categories": list(categories)},
    )
    return request


def record_notice(*, session: Session, principal: Principal, request_id: int, at: datetime) -> int:
    """Mark every not-yet-told person of the request as notified; refused while an order prohibits notice."""
    require(principal.role, "legal.record")
    request = _get(session, request_id)
    if request.notice_prohibited_until is not None and at.date() <= request.notice_prohibited_until:
        raise LegalInputError("notified_at", f"notice is prohibited until {request.notice_prohibited_until}")
    told = registers_repo.mark_people_notified(session, request_id, at)
    _audit(session, principal, "legal.notice", request, {"people": told})
    return told


def _get(session: Session, request_id: int) -> LegalRequest:
    request = registers_repo.legal_request(session, request_id)
    if request is None:
        raise LegalInputError("request", f"no legal request with id {request_id}")
    return request


def _audit(
    session: Session, principal: Principal, action: str, request: LegalRequest, details: dict[str, object]
) -> None:
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action=action,
        object_type="legal_request",
        object_id=request.id,
        details={"reference": request.reference, **details},
    )
