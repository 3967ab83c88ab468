"""Subject requests in every status, with deadlines from the one deadline module and a timeline.

Planted: a few open requests are past their due date (overdue), and one was completed late.
Completed deletions name no current person: their data was erased when they were fulfilled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dashboard.demo.context import DemoContext
from dashboard.rules.deadlines import request_deadlines
from dashboard.rules.regimes import regime_for

Rows = dict[str, list[dict[str, Any]]]
TYPE_WEIGHTS = {
    "access": 30,
    "deletion": 25,
    "opt-out-marketing": 15,
    "opt-out-sale": 8,
    "correction": 8,
    "portability": 6,
    "restriction": 4,
    "objection": 4,
}
CHANNELS = ["web_form"] * 6 + ["email"] * 3 + ["phone", "letter", "authorised_agent"]
STAFF = ["manager", "a.okafor", "l.nguyen"]
OPEN_CYCLE = ["received", "verifying", "in_progress", "extended", "completed"]
CLOSED_CYCLE = ["completed"] * 5 + ["rejected"] + ["completed"] * 4 + ["closed_unverified"]


def build_requests(ctx: DemoContext) -> Rows:
    rows: Rows = {"subject_requests": [], "subject_request_events": []}
    count = max(16, ctx.n_users // 60)
    for index in range(1, count + 1):
        _one(ctx, rows, index, count)
    return rows


def _one(ctx: DemoContext, rows: Rows, index: int, count: int) -> None:
    rng = ctx.rng
    kind = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
    person = rng.choice(ctx.people)
    regime = regime_for(person.country, person.region)
    if kind == "opt-out-sale" and regime != "ccpa":
        kind = "access"
    age_days = int((count - index) / count * min(ctx.days, 150)) + rng.randint(0, 3)
    received = (ctx.end - timedelta(days=age_days, hours=rng.randint(0, 20))).replace(
        minute=rng.randint(0, 59)
    )
    deadlines = request_deadlines(regime, received, request_type=kind)
    today = ctx.end.date()
    status, events = _lifecycle(ctx, received, deadlines.due, today, index, count)
    matched = status not in ("completed",) or kind != "deletion"
    closed_at = events[-1][0] if status in ("completed", "rejected", "closed_unverified") else None
    request_id = index
    rows["subject_requests"].append(
        {
            "id": request_id,
            "reference": f"DSR-{received:%Y}-{index:05d}",
            "request_type": kind,
            "regime": regime,
            "channel": rng.choice(CHANNELS),
            "requester_name": person.full_name,
            "requester_email": person.email if matched else f"former.customer{index}@example.net",
            "requester_phone": person.phone,
            "requester_country": person.country,
            "requester_region": person.region,
            "via_agent": False,
            "details": None,
            "person_id": person.id if matched else None,
            "received_at": received,
            "received_tz": "UTC",
            "acknowledge_by": deadlines.acknowledge_by,
            "acknowledged_at": received + timedelta(days=1) if deadlines.acknowledge_by else None,
            "due_date": deadlines.due,
            "extended_due_date": deadlines.extended_due if status == "extended" else None,
            "extension_reason": "Complex request across several systems" if status == "extended" else None,
            "extension_notified_at": received + timedelta(days=10) if status == "extended" else None,
            "status": status,
            "verified_at": received + timedelta(days=2)
            if status not in ("received", "verifying", "closed_unverified")
            else None,
            "assignee": rng.choice(STAFF),
            "closed_at": closed_at,
            "outcome": "Fulfilled" if status == "completed" else None,
            "rejection_reason": "Identity could not be verified" if status == "rejected" else None,
            "created_by": "demo",
            "created_at": received,
            "updated_at": closed_at or received,
            "version": 1,
        }
    )
    previous = None
    for at, to_status in events:
        rows["subject_request_events"].append(
            {
                "request_id": request_id,
                "at": at,
                "actor": "demo",
                "kind": "status_change",
                "from_status": previous,
                "to_status": to_status,
                "note": None,
            }
        )
        previous = to_status


def _lifecycle(
    ctx: DemoContext, received: datetime, due: Any, today: Any, index: int, count: int
) -> tuple[str, list[tuple[datetime, str]]]:
    """The status reached and the dated transitions that led there."""
    rng = ctx.rng
    steps = [(received, "received")]
    due_at = datetime.combine(due, datetime.min.time(), tzinfo=UTC)
    if index > count - len(OPEN_CYCLE):  # the newest requests cover every open status
        status = OPEN_CYCLE[count - index]
    elif due >= today:
        status = rng.choice(OPEN_CYCLE)
    elif index % 9 == 0 and not ctx.clean:
        status = rng.choice(["in_progress", "verifying"])  # planted: overdue
    else:
        status = CLOSED_CYCLE[index % len(CLOSED_CYCLE)]
    path = {
        "received": [],
        "verifying": ["verifying"],
        "in_progress": ["verifying", "in_progress"],
        "extended": ["verifying", "in_progress", "extended"],
        "completed": ["verifying", "in_progress", "completed"],
        "rejected": ["verifying", "rejected"],
        "closed_unverified": ["verifying", "closed_unverified"],
    }[status]
    at = received
    for step in path:
        at += timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
        if step in ("completed", "rejected") and at >= due_at and (index % 23 or ctx.clean):
            at = due_at - timedelta(hours=rng.randint(2, 30))  # most close on time; index % 23 == 0 is late
        at = min(max(at, steps[-1][0] + timedelta(hours=1)), ctx.end)
        steps.append((at, step))
    return status, steps
