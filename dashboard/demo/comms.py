"""Marketing preferences, opt-outs with their legal deadlines, consents and messages sent.

Most people opt in at sign-up and a few percent opt out each month. Most opt-outs are
honoured within two days; about 5% are honoured late, and a 'win-back' campaign goes out
to a handful of people after their opt-out (the planted violations).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dashboard.demo.context import DemoContext, DemoPerson
from dashboard.rules.deadlines import optout_deadline, rule_for_channel
from dashboard.rules.regimes import regime_for

Rows = dict[str, list[dict[str, Any]]]
MONTHLY_OPT_OUT_RATE = 0.02
EMAIL_OPT_OUT_SOURCES = ["unsubscribe_link"] * 7 + ["preference_form"] * 2 + ["support"]


def build_comms(ctx: DemoContext) -> Rows:
    rows: Rows = {"preference_events": [], "comm_preferences": [], "consents": [], "messages": []}
    opted_out_at: dict[tuple[int, str], datetime] = {}
    for person in ctx.people:
        for channel in ("email", "sms"):
            if channel == "sms" and not person.phone:
                continue
            if ctx.rng.random() < (0.85 if channel == "email" else 0.5):
                _opt_in_then_maybe_out(ctx, person, channel, rows, opted_out_at)
        if person.region == "CA" and ctx.rng.random() < 0.06:
            _gpc_signal(ctx, person, rows)
        if ctx.rng.random() < 0.3:
            rows["consents"].append(
                {
                    "person_id": person.id,
                    "scope": "sharing:feedback",
                    "reference": f"CONS-{person.id:07d}",
                    "given_at": person.created_at,
                }
            )
    _campaigns(ctx, rows, opted_out_at)
    return rows


def _opt_in_then_maybe_out(
    ctx: DemoContext,
    person: DemoPerson,
    channel: str,
    rows: Rows,
    opted_out_at: dict[tuple[int, str], datetime],
) -> None:
    rng = ctx.rng
    _event(
        rows, person, channel, "marketing", "opted_in", "signup", person.created_at, None, person.created_at
    )
    # Opt-outs happen at any time after sign-up, so the rate is already at its steady level when the
    # window opens.
    months = max(0.0, (ctx.end - person.created_at).days / 30)
    if rng.random() >= 1 - (1 - MONTHLY_OPT_OUT_RATE) ** months:
        _state(rows, person, channel, "marketing", "opted_in", person.created_at)
        return
    received = ctx.moment_between(person.created_at, ctx.end)
    source = rng.choice(EMAIL_OPT_OUT_SOURCES) if channel == "email" else "reply_stop"
    rule = rule_for_channel(channel, regime_for(person.country, person.region))
    deadline = optout_deadline(rule, received)
    honoured: datetime | None = received + timedelta(hours=rng.randint(1, 40))
    roll = 1.0 if ctx.clean else rng.random()
    if roll < 0.05:  # planted: honoured after the legal limit
        honoured = datetime.combine(deadline.honour_by, received.timetz()) + timedelta(days=rng.randint(2, 9))
    elif roll < 0.12:  # honoured within the legal limit but later than the internal target
        honoured = received + timedelta(days=rng.randint(3, 8))
    if honoured is not None and honoured > ctx.end:
        honoured = None  # still pending at the end of the data
    _event(rows, person, channel, "marketing", "opted_out", source, received, deadline, honoured, rule)
    _state(rows, person, channel, "marketing", "opted_out", received)
    opted_out_at[(person.id, channel)] = honoured or ctx.end


def _gpc_signal(ctx: DemoContext, person: DemoPerson, rows: Rows) -> None:
    received = ctx.moment_between(max(person.created_at, ctx.start), ctx.end)
    deadline = optout_deadline("gpc", received)
    honoured = received + timedelta(hours=ctx.rng.randint(1, 72))
    _event(
        rows,
        person,
        "all",
        "sale_sharing",
        "opted_out",
        "gpc",
        received,
        deadline,
        honoured if honoured <= ctx.end else None,
        "gpc",
    )
    _state(rows, person, "all", "sale_sharing", "opted_out", received)


def _campaigns(ctx: DemoContext, rows: Rows, opted_out_at: dict[tuple[int, str], datetime]) -> None:
    """Monthly newsletters to everyone not yet suppressed; the suppression takes effect when honoured."""
    subscribed = {
        (e["person_id"], e["channel"])
        for e in rows["preference_events"]
        if e["new_status"] == "opted_in" and e["purpose"] == "marketing"
    }
    people = {p.id: p for p in ctx.people}
    send = ctx.start + timedelta(days=3, hours=14)
    while send < ctx.end:
        campaign = f"newsletter-{send:%Y-%m}"
        for person_id, channel in sorted(subscribed):
            if channel == "sms" and send.month % 3:
                continue  # SMS campaigns are quarterly
            suppressed_from = opted_out_at.get((person_id, channel))
            if people[person_id].created_at > send or (
                suppressed_from is not None and suppressed_from <= send
            ):
                continue
            _message(rows, person_id, channel, "promotional", campaign, send)
        send += timedelta(days=30)
    _winback(ctx, rows, opted_out_at)


def _winback(ctx: DemoContext, rows: Rows, opted_out_at: dict[tuple[int, str], datetime]) -> None:
    """Planted: a win-back email sent to a few people weeks after their opt-out took effect."""
    if ctx.clean:
        return
    honoured = sorted(
        (at, key)
        for key, at in opted_out_at.items()
        if key[1] == "email" and ctx.start <= at < ctx.end - timedelta(days=20)
    )
    for at, (person_id, channel) in honoured[: max(2, len(honoured) // 40)]:
        _message(rows, person_id, channel, "promotional", "winback-campaign", at + timedelta(days=15))


def add_transactional(ctx: DemoContext, rows: Rows, invoices: list[dict[str, Any]]) -> None:
    """Every invoice is emailed: transactional, never a violation whatever the preferences."""
    for invoice in invoices:
        _message(rows, invoice["person_id"], "email", "transactional", None, invoice["issued_at"])


def _event(
    rows: Rows,
    person: DemoPerson,
    channel: str,
    purpose: str,
    status: str,
    source: str,
    received: datetime,
    deadline: Any,
    honoured: datetime | None,
    rule: str | None = None,
) -> None:
    rows["preference_events"].append(
        {
            "person_id": person.id,
            "channel": channel,
            "purpose": purpose,
            "new_status": status,
            "source": source,
            "received_at": received,
            "rule": rule,
            "honour_by": deadline.honour_by if deadline else None,
            "honour_deadline_at": deadline.ends_at if deadline else None,
            "honoured_at": honoured,
            "recorded_by": "demo",
            "recorded_at": received,
        }
    )


def _state(rows: Rows, person: DemoPerson, channel: str, purpose: str, status: str, at: datetime) -> None:
    rows["comm_preferences"].append(
        {"person_id": person.id, "channel": channel, "purpose": purpose, "status": status, "updated_at": at}
    )


def _message(rows: Rows, person_id: int, channel: str, kind: str, campaign: str | None, at: datetime) -> None:
    rows["messages"].append(
        {"person_id": person_id, "channel": channel, "kind": kind, "campaign": campaign, "sent_at": at}
    )
