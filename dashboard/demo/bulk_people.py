"""One chunk of people for the demo at scale: accounts, contacts, billing, identifiers, preferences,
messages."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from dashboard.demo.context import COUNTRY_WEIGHTS, US_STATE_WEIGHTS, DemoContext, DemoPerson
from dashboard.demo.people import CARD_BRANDS, PHONE_PREFIX
from dashboard.rules.deadlines import optout_deadline, rule_for_channel
from dashboard.rules.regimes import regime_for

Columns = tuple[str, ...]
COLUMNS: dict[str, Columns] = {
    "people": ("id", "external_ref", "username", "status", "country", "region", "created_at", "updated_at"),
    "contacts": ("person_id", "full_name", "email", "phone", "updated_at"),
    "billing_profiles": (
        "person_id",
        "card_brand",
        "card_last4",
        "address_line",
        "city",
        "postal_code",
        "country",
        "updated_at",
    ),
    "identifiers": ("person_id", "kind", "value", "first_seen", "last_seen"),
    "invoices": (
        "person_id",
        "number",
        "issued_at",
        "amount_cents",
        "currency",
        "billing_name",
        "billing_address",
    ),
    "comm_preferences": ("person_id", "channel", "purpose", "status", "updated_at"),
    "preference_events": (
        "person_id",
        "channel",
        "purpose",
        "new_status",
        "source",
        "received_at",
        "rule",
        "honour_by",
        "honour_deadline_at",
        "honoured_at",
        "recorded_by",
        "recorded_at",
    ),
    "messages": ("person_id", "channel", "kind", "campaign", "sent_at"),
}


@dataclass
class PeopleChunk:
    first_id: int
    last_id: int
    people: list[DemoPerson] = field(default_factory=list)
    tables: dict[str, tuple[Columns, list[tuple[Any, ...]]]] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _name_pools(seed: int) -> tuple[list[str], list[str], list[str]]:
    from faker import Faker

    fake = Faker(["en_US", "en_GB", "de_DE", "fr_FR", "pt_BR"])
    fake.seed_instance(seed)
    return (
        [fake.first_name() for _ in range(3000)],
        [fake.last_name() for _ in range(3000)],
        [fake.city() for _ in range(500)],
    )


def people_chunk(ctx: DemoContext, first: int, last: int, ts: Callable[[datetime], Any]) -> PeopleChunk:
    rng = random.Random(ctx.seed * 7_919 + first)
    firsts, lasts, cities = _name_pools(ctx.seed)
    countries, weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    states, state_weights = list(US_STATE_WEIGHTS), list(US_STATE_WEIGHTS.values())
    chunk = PeopleChunk(first, last)
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
    signup_span = int(timedelta(days=max(ctx.days * 2, 365)).total_seconds())
    for pid in range(first, last + 1):
        country = rng.choices(countries, weights)[0]
        region = rng.choices(states, state_weights)[0] if country == "US" else None
        given, family = rng.choice(firsts), rng.choice(lasts)
        username = f"user{pid}"
        created = ctx.end - timedelta(days=1, seconds=rng.randrange(signup_span))
        phone = (
            (
                f"{PHONE_PREFIX[country]} {rng.randint(200, 989)} {rng.randint(200, 999)} "
                f"{rng.randint(1000, 9999)}"
            )
            if rng.random() < 0.7
            else None
        )
        person = DemoPerson(
            pid,
            username,
            f"{username}@example.com",
            phone,
            f"{given} {family}",
            country,
            region,
            created,
            f"ck_{pid:016x}",
            str(10**20 + pid) if pid % 5 < 2 else None,
        )
        chunk.people.append(person)
        c = ts(created)
        rows["people"].append((pid, f"U{pid:07d}", username, "active", country, region, c, c))
        rows["contacts"].append((pid, person.full_name, person.email, phone, c))
        rows["billing_profiles"].append(
            (
                pid,
                CARD_BRANDS[pid % 4],
                f"{pid % 10_000:04d}",
                f"{pid} Main Street",
                rng.choice(cities)[:100],
                f"{10_000 + pid % 89_999}",
                country,
                c,
            )
        )
        rows["identifiers"].append((pid, "cookie_id", person.cookie_id, c, ts(ctx.end)))
        if person.google_id:
            rows["identifiers"].append((pid, "google_id", person.google_id, c, ts(ctx.end)))
        rows["invoices"].append(
            (
                pid,
                f"INV-{pid:09d}",
                ts(ctx.end - timedelta(days=pid % 28 + 1)),
                4900,
                "USD",
                person.full_name,
                country,
            )
        )
        _preferences(ctx, rng, person, rows, ts)
    chunk.tables = {name: (COLUMNS[name], rows[name]) for name in COLUMNS}
    return chunk


def _preferences(
    ctx: DemoContext,
    rng: random.Random,
    person: DemoPerson,
    rows: dict[str, list[tuple[Any, ...]]],
    ts: Callable[[datetime], Any],
) -> None:
    """Email marketing opt-in at sign-up for most; about one in ten opts out inside the window."""
    if rng.random() >= 0.85:
        return
    created = ts(person.created_at)
    rows["preference_events"].append(
        (
            person.id,
            "email",
            "marketing",
            "opted_in",
            "signup",
            created,
            None,
            None,
            None,
            None,
            "demo",
            created,
        )
    )
    send = ctx.end - timedelta(days=rng.randint(1, 60))
    if rng.random() < 0.1 and person.created_at < ctx.end - timedelta(days=2):
        received = person.created_at + (ctx.end - person.created_at) * rng.random()
        rule = rule_for_channel("email", regime_for(person.country, person.region))
        deadline = optout_deadline(rule, received)
        honoured = received + timedelta(hours=rng.randint(1, 40))
        rows["preference_events"].append(
            (
                person.id,
                "email",
                "marketing",
                "opted_out",
                "unsubscribe_link",
                ts(received),
                rule,
                deadline.honour_by,
                ts(deadline.ends_at),
                ts(honoured) if honoured < ctx.end else None,
                "demo",
                ts(received),
            )
        )
        rows["comm_preferences"].append((person.id, "email", "marketing", "opted_out", ts(received)))
        if (
            send < received or rng.random() < 0.02
        ):  # a few newsletters still go out after the opt-out: violations
            rows["messages"].append((person.id, "email", "promotional", f"newsletter-{send:%Y-%m}", ts(send)))
        return
    rows["comm_preferences"].append((person.id, "email", "marketing", "opted_in", created))
    if send > person.created_at:
        rows["messages"].append((person.id, "email", "promotional", f"newsletter-{send:%Y-%m}", ts(send)))
