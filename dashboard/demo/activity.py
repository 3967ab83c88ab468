"""HTTP access-log lines and product usage events: about 20 lines and 5 events per person."""

from __future__ import annotations

import zlib
from datetime import timedelta
from typing import Any

from dashboard.demo.context import DemoContext, DemoPerson
from dashboard.ingest.url_identity import find_url_pii

Rows = dict[str, list[dict[str, Any]]]

USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
]
BOT_AGENT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
REFERRERS = [
    None,
    None,
    None,
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://news.ycombinator.com/",
    "https://www.linkedin.com/",
    "https://interfacebilling.example/pricing",
]
FEATURES = {
    "invoices": ["create", "send", "view", "void"],
    "subscriptions": ["create", "upgrade", "cancel"],
    "payments": ["refund", "view"],
    "customers": ["create", "edit", "view"],
    "reports": ["view", "export"],
    "dunning": ["configure"],
    "api_keys": ["create", "revoke"],
    "settings": ["edit"],
}
FEATURE_WEIGHTS = [30, 14, 12, 16, 14, 3, 3, 8]


def build_activity(ctx: DemoContext) -> Rows:
    """Visits by known people (linked by `uid` in the query string) plus anonymous and bot traffic."""
    rows: Rows = {"access_log": [], "usage_events": [], "url_pii_findings": []}
    for person in ctx.people:
        for _ in range(ctx.rng.randint(1, 7)):
            _visit(ctx, person, rows)
    for _ in range(max(3, ctx.n_users // 2)):
        _anonymous_visit(ctx, rows)
    if not ctx.clean:
        _plant_url_pii(ctx, rows)
    return rows


def _visit(ctx: DemoContext, person: DemoPerson, rows: Rows) -> None:
    rng = ctx.rng
    moment = ctx.moment_between(max(person.created_at, ctx.start), ctx.end)
    ip = (
        f"198.51.100.{rng.randint(1, 254)}" if rng.random() < 0.8 else f"2001:db8::{rng.randint(1, 0xFFFF):x}"
    )
    agent, session = rng.choice(USER_AGENTS), f"s{rng.getrandbits(48):012x}"
    referrer = rng.choice(REFERRERS)
    features = rng.choices(list(FEATURES), FEATURE_WEIGHTS, k=rng.randint(1, 2))
    paths = ["/login", "/dashboard"] + [f"/{f}" for f in features] + [rng.choice(["/dashboard", "/logout"])]
    for index, path in enumerate(paths):
        query = f"uid=U{person.id:07d}" if index > 0 else None
        _log_line(
            rows,
            moment,
            ip,
            path,
            query,
            200 if rng.random() < 0.95 else rng.choice([302, 404, 500]),
            referrer if index == 0 else f"https://app.interfacebilling.example{paths[index - 1]}",
            agent,
            person.id if query else None,
        )
        moment += timedelta(seconds=rng.randint(5, 240))
    start = moment
    for feature in features:
        rows["usage_events"].append(
            {
                "ts": start,
                "person_id": person.id,
                "session_id": session,
                "feature": feature,
                "action": rng.choice(FEATURES[feature]),
                "duration_ms": rng.randint(2_000, 600_000),
                "event_key": f"demo-ev-{len(rows['usage_events'])}",
            }
        )
        start += timedelta(seconds=rng.randint(10, 300))


def _anonymous_visit(ctx: DemoContext, rows: Rows) -> None:
    rng = ctx.rng
    moment = ctx.moment_between(ctx.start, ctx.end)
    bot = rng.random() < 0.2
    agent = BOT_AGENT if bot else rng.choice(USER_AGENTS)
    for path in ["/", "/pricing"] if not bot else ["/robots.txt", "/"]:
        _log_line(
            rows,
            moment,
            f"203.0.113.{rng.randint(1, 254)}",
            path,
            None,
            200,
            rng.choice(REFERRERS),
            agent,
            None,
        )
        moment += timedelta(seconds=rng.randint(3, 60))


def _plant_url_pii(ctx: DemoContext, rows: Rows) -> None:
    """A support link that put a customer's email in the query string: a URL-PII finding to surface."""
    person = ctx.people[0]
    moment = ctx.end - timedelta(days=3)
    query = f"email={person.email}"
    _log_line(rows, moment, "198.51.100.7", "/support/contact", query, 200, None, USER_AGENTS[0], None)
    for finding in find_url_pii("/support/contact", query):  # what ingest records for such a line
        rows["url_pii_findings"].append(
            {
                "batch_id": None,
                "line_no": len(rows["access_log"]),
                "ts": moment,
                "kind": finding.kind,
                "param": finding.param,
                "masked_sample": finding.sample,
            }
        )


def _log_line(
    rows: Rows,
    ts: Any,
    client: str,
    path: str,
    query: str | None,
    status: int,
    referrer: str | None,
    agent: str,
    person_id: int | None,
) -> None:
    rows["access_log"].append(
        {
            "ts": ts,
            "client": client,
            "authuser": None,
            "method": "GET",
            "path": path,
            "query": query,
            "protocol": "HTTP/1.1",
            "status": status,
            "bytes_sent": 512 + zlib.crc32(path.encode()) % 40_000,
            "referrer": referrer,
            "user_agent": agent,
            "person_id": person_id,
            "line_key": f"demo-{len(rows['access_log'])}",
        }
    )
