"""Three security incidents, so the Security page has something to show.

INC-1 closed, notified on time everywhere; INC-2 open and high risk, its 72 hours still running
(people to be told without undue delay). Planted (not with --clean): INC-3 contained with no
containment written down, and the GDPR authority told after 72 hours with no reasons for the delay
(incidents-documented, breach-notices-on-time).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from dashboard.demo.context import DemoContext

Rows = dict[str, list[dict[str, Any]]]


def _incident(iid: int, aware: datetime, **values: Any) -> dict[str, Any]:
    return {
        "id": iid,
        "reference": f"INC-{aware:%Y}-{iid:03d}",
        "aware_at": aware,
        "detected_at": aware - timedelta(hours=3),
        "status": "open",
        "containment": None,
        "authority_notices": {},
        "delay_reason": None,
        "owner": "Morgan Manager",
        "recorded_by": "manager",
        "recorded_at": aware + timedelta(hours=1),
        "updated_at": aware + timedelta(hours=1),
        **values,
    }


def _people(
    rows: Rows, iid: int, person_ids: list[int], notified: datetime | None, channel: str | None
) -> None:
    rows["incident_people"] += [
        {"incident_id": iid, "person_id": pid, "notified_at": notified, "channel": channel}
        for pid in sorted(person_ids)
    ]


def build_incidents(ctx: DemoContext) -> Rows:
    rng = random.Random(ctx.seed + 28)  # its own stream: the other areas' data stays as it was
    ids = [p.id for p in ctx.people]
    rows: Rows = {"security_incidents": [], "incident_people": []}
    first = ctx.end - timedelta(days=75)
    rows["security_incidents"].append(
        _incident(
            1,
            first,
            status="closed",
            risk="risk",
            systems=["email and SMS platforms"],
            categories=["user.contact.email", "user.name"],
            description="A billing reminder batch was sent to the wrong recipients (a template merge error).",
            risk_reasoning="Names and emails only, to other customers; no financial data.",
            containment="Batch stopped after 40 messages; recipients asked to delete them.",
            authority_notices={
                "gdpr": (first + timedelta(hours=30)).isoformat(),
                "uk-gdpr": (first + timedelta(hours=30)).isoformat(),
            },
        )
    )
    _people(rows, 1, rng.sample(ids, min(40, len(ids))), first + timedelta(days=4), "email")
    second = ctx.end - timedelta(hours=20)
    rows["security_incidents"].append(
        _incident(
            2,
            second,
            risk="high_risk",
            systems=["web server logs, imported"],
            categories=["user.device.ip_address"],
            description=(
                "Access logs with IP addresses and session cookies exposed by a misconfigured log viewer."
            ),
            risk_reasoning="Session cookies allow account takeover until they expire.",
            containment="Viewer taken offline; sessions revoked.",
        )
    )
    _people(rows, 2, rng.sample(ids, min(25, len(ids))), None, None)
    if not ctx.clean:
        third = ctx.end - timedelta(days=40)
        rows["security_incidents"].append(
            _incident(
                3,
                third,
                status="contained",
                risk="risk",
                systems=["billing platform database"],
                categories=["user.financial"],
                description="A support laptop with a billing export was stolen.",
                risk_reasoning="The export held card brand and last four digits and billing addresses.",
                authority_notices={"gdpr": (third + timedelta(hours=90)).isoformat()},
            )
        )
        _people(rows, 3, rng.sample(ids, min(8, len(ids))), third + timedelta(days=3), "post")
    return rows
