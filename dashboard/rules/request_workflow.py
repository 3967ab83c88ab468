"""The subject-request workflow: which status may follow which, and how a queue row reads against
its due date.

received -> verifying -> in_progress -> (extended) -> completed | rejected. A request may be
rejected from any open status (with a reason); one still unverified after AUTO_CLOSE_UNVERIFIED_DAYS
is closed as unverified. Identity verification is GDPR Art. 12(6) / 11 CCR 7060: we may not act on
an unverified request, so fulfilment requires in_progress or extended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dashboard.rules.field_error import FieldError
from data_access.models.enums import OPEN_REQUEST_STATUSES, RequestStatus, RequestType

S = RequestStatus
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.RECEIVED: frozenset({S.VERIFYING, S.IN_PROGRESS, S.REJECTED, S.CLOSED_UNVERIFIED}),
    S.VERIFYING: frozenset({S.IN_PROGRESS, S.REJECTED, S.CLOSED_UNVERIFIED}),
    S.IN_PROGRESS: frozenset({S.EXTENDED, S.COMPLETED, S.REJECTED}),
    S.EXTENDED: frozenset({S.COMPLETED, S.REJECTED}),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
    S.CLOSED_UNVERIFIED: frozenset(),
}
# Our convention (README, docs/legal-rules.md): a request whose requester has not verified their identity
# 30 days after receipt is closed (the requester may submit again). Not a legal period.
AUTO_CLOSE_UNVERIFIED_DAYS = 30
DUE_SOON_DAYS = 7
WORKABLE = frozenset({S.IN_PROGRESS, S.EXTENDED})
T = RequestType
# Types whose completion needs proof that the data was acted on (a fulfilment event), and that act
# on one person.
FULFILLED_BY_ACTION = frozenset(
    {T.ACCESS, T.PORTABILITY, T.DELETION, T.CORRECTION, T.OPT_OUT_MARKETING, T.OPT_OUT_SALE}
)


class WorkflowError(FieldError):
    """A step the workflow does not allow; `field` names the form field to correct."""


def check_transition(
    current: RequestStatus,
    target: RequestStatus,
    *,
    reason: str | None = None,
    extended_due: date | None = None,
) -> None:
    """Raise WorkflowError unless `current` -> `target` is allowed and carries what it needs."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (the request is closed)"
        raise WorkflowError("status", f"a {current} request cannot become {target}; allowed: {allowed}")
    if target in (S.REJECTED, S.EXTENDED) and not (reason and reason.strip()):
        raise WorkflowError("reason", f"a reason is required to mark a request {target}")
    if target == S.EXTENDED and extended_due is None:
        raise WorkflowError("status", "this regime allows no extension")


def check_workable(status: RequestStatus) -> None:
    """Fulfilment acts on data only for a verified request that is being worked."""
    if status not in WORKABLE:
        raise WorkflowError(
            "status", f"a {status} request cannot be fulfilled; verify it and start work first"
        )


@dataclass(frozen=True)
class QueueState:
    days_left: int | None  # None once closed
    label: str  # on time, due soon, overdue, closed


def queue_state(status: RequestStatus, effective_due: date, today: date) -> QueueState:
    if status not in OPEN_REQUEST_STATUSES:
        return QueueState(None, "closed")
    days_left = (effective_due - today).days
    if is_overdue(status, effective_due, today):
        return QueueState(days_left, "overdue")
    return QueueState(days_left, "due soon" if days_left <= DUE_SOON_DAYS else "on time")


# The rules below are also stated once in SQL (data_access.request_due); tests/data_access/test_request_due.py
# checks that the two agree on both engines. docs/legal-rules.md states them.
def effective_due(due: date, extended_due: date | None) -> date:
    """The date a request must be answered by: the extended date once an extension was noted, else
    the first."""
    return extended_due or due


def is_overdue(status: RequestStatus, effective_due: date, today: date) -> bool:
    """Still open on `today`, after its effective due date (a request due on the 5th is overdue on
    the 6th)."""
    return status in OPEN_REQUEST_STATUSES and today > effective_due


def answered_late(effective_due: date, closed_on: date) -> bool:
    """Answered (the UTC day it closed) after its effective due date; answering on the due date is on time."""
    return closed_on > effective_due


def days_overdue(due: date, extended_due: date | None, *, closed_on: date | None, as_of: date) -> int | None:
    """Whole days past the effective due date, as of `as_of` for a request still open then, or on the day it
    closed; None when it was (or still is) within time. A request due on the 5th is 1 day overdue on
    the 6th."""
    end = closed_on if closed_on is not None and closed_on <= as_of else as_of
    due_by = effective_due(due, extended_due)
    return (end - due_by).days if answered_late(due_by, end) else None


def extension_open(extension: date | None, due: date, extended_due: date | None, today: date) -> bool:
    """An extension may still be noted: the regime allows one (`extension`, the date it would give), none was
    noted yet, and the first due date has not passed (the notice must reach the requester within the first
    period: GDPR Art. 12(3), Cal. Civ. Code 1798.130(a)(2))."""
    return extension is not None and extended_due is None and today <= due


def should_auto_close(status: RequestStatus, received_at: datetime, now: datetime) -> bool:
    return status in (S.RECEIVED, S.VERIFYING) and now - received_at >= timedelta(
        days=AUTO_CLOSE_UNVERIFIED_DAYS
    )


# What each step means to the manager, in the words of the page's buttons.
STEP_LABELS: dict[RequestStatus, str] = {
    S.VERIFYING: "start verifying the requester's identity",
    S.IN_PROGRESS: "mark the identity verified and start work",
    S.EXTENDED: "extend the deadline (with a reason, told to the requester)",
    S.COMPLETED: "complete the request",
    S.REJECTED: "reject the request (with a reason)",
    S.CLOSED_UNVERIFIED: "close it as unverified",
}
FULFILMENT_LABELS: dict[RequestType, str] = {
    T.ACCESS: "build the access package",
    T.PORTABILITY: "build the access package",
    T.DELETION: "erase the person's data",
    T.CORRECTION: "correct the record",
    T.OPT_OUT_MARKETING: "apply the suppression",
    T.OPT_OUT_SALE: "apply the suppression",
}
CONFIRM_PERSON = "confirm which person the request is about"


@dataclass(frozen=True)
class RequestSituation:
    """What decides a request's next steps: its status and type, whether its person is confirmed, whether its
    fulfilment was done, and whether an extension may still be noted (the regime allows one and the first due
    date has not passed: the notice must reach the requester within the first period)."""

    status: RequestStatus
    request_type: RequestType
    person_confirmed: bool
    fulfilled: bool
    extension_open: bool


def allowed_targets(situation: RequestSituation) -> tuple[RequestStatus, ...]:
    """The statuses the request may move to now, in workflow order: TRANSITIONS less the steps the workflow
    service would refuse (an extension no longer possible, completion before the fulfilment it needs)."""
    refused = set()
    if not situation.extension_open:
        refused.add(S.EXTENDED)
    if situation.request_type in FULFILLED_BY_ACTION and not situation.fulfilled:
        refused.add(S.COMPLETED)
    return tuple(s for s in S if s in TRANSITIONS[situation.status] and s not in refused)


# Fulfilments that may be done again on the same request: a new access package (the first was lost), a further
# correction (a request may correct several fields). An erasure or a suppression is done once.
REPEATABLE_FULFILMENT = frozenset({T.ACCESS, T.PORTABILITY, T.CORRECTION})


def check_not_fulfilled(request_type: RequestType, fulfilled: bool) -> None:
    """Refuse a second erasure or suppression on one request: it was done; what is left is to complete it."""
    if fulfilled and request_type not in REPEATABLE_FULFILMENT:
        raise WorkflowError(
            "status", f"this {request_type} request was already fulfilled; complete it instead"
        )


def fulfilment_open(situation: RequestSituation) -> bool:
    """The page offers the fulfilment form: when it is due, or again where a repeat is allowed."""
    return fulfilment_due(situation) or (
        situation.fulfilled
        and situation.request_type in REPEATABLE_FULFILMENT
        and situation.status in WORKABLE
        and situation.person_confirmed
    )


def fulfilment_due(situation: RequestSituation) -> bool:
    """The request's fulfilment (package, erasure, correction, suppression) may be done now: the
    request is being worked, its person confirmed, and it was not done yet (a person is erased once;
    completion follows)."""
    return (
        situation.status in WORKABLE
        and situation.request_type in FULFILLED_BY_ACTION
        and situation.person_confirmed
        and not situation.fulfilled
    )


def next_actions(situation: RequestSituation) -> tuple[str, ...]:
    """What the manager may do next, most useful first: confirm the person, then fulfil (on a request being
    worked), then the status steps. Nothing once the request is closed."""
    if situation.status not in OPEN_REQUEST_STATUSES:
        return ()
    actions: list[str] = []
    acts_on_person = situation.request_type in FULFILLED_BY_ACTION
    if acts_on_person and not situation.person_confirmed:
        actions.append(CONFIRM_PERSON)
    if fulfilment_due(situation):
        actions.append(FULFILMENT_LABELS[situation.request_type])
    return (*actions, *(STEP_LABELS[s] for s in allowed_targets(situation)))
