"""People with contacts, billing profiles, identifiers and invoices."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dashboard.demo.context import (
    COUNTRY_WEIGHTS,
    FAKER_LOCALES,
    US_STATE_WEIGHTS,
    DemoContext,
    DemoPerson,
)

Rows = dict[str, list[dict[str, Any]]]
CARD_BRANDS = ["visa", "mastercard", "amex", "discover"]
PHONE_PREFIX = {
    "US": "+1",
    "CA": "+1",
    "GB": "+44",
    "DE": "+49",
    "FR": "+33",
    "BR": "+55",
    "IE": "+353",
    "NL": "+31",
    "ES": "+34",
    "AU": "+61",
    "IN": "+91",
}


def build_people(ctx: DemoContext) -> Rows:
    """One account per person; 70% gave a phone number, 40% signed in with Google."""
    rng, fake = ctx.rng, ctx.fake
    countries, weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    states, state_weights = list(US_STATE_WEIGHTS), list(US_STATE_WEIGHTS.values())
    rows: Rows = {"people": [], "contacts": [], "billing_profiles": [], "identifiers": []}
    signup_window = max(ctx.days * 4, 365)
    for pid in range(1, ctx.n_users + 1):
        country = rng.choices(countries, weights)[0]
        region = rng.choices(states, state_weights)[0] if country == "US" else None
        local = fake[FAKER_LOCALES[country]]
        first, last = local.first_name(), local.last_name()
        username = f"{_ascii(first)}.{_ascii(last)}{pid}".lower()
        created = ctx.moment_between(ctx.end - timedelta(days=signup_window), ctx.end - timedelta(days=1))
        phone = (
            f"{PHONE_PREFIX[country]} {rng.randint(200, 989)} {rng.randint(200, 999)} "
            f"{rng.randint(1000, 9999)}"
        )
        person = DemoPerson(
            id=pid,
            username=username,
            email=f"{username}@{rng.choice(_DOMAINS)}",
            phone=phone if rng.random() < 0.7 else None,
            full_name=f"{first} {last}",
            country=country,
            region=region,
            created_at=created,
            cookie_id=f"ck_{rng.getrandbits(64):016x}",
            google_id=str(rng.randint(10**20, 10**21 - 1)) if rng.random() < 0.4 else None,
        )
        ctx.people.append(person)
        status = "closed" if rng.random() < 0.03 else "active"
        rows["people"].append(
            {
                "id": pid,
                "external_ref": f"U{pid:07d}",
                "username": username,
                "status": status,
                "country": country,
                "region": region,
                "created_at": created,
                "updated_at": created,
                "closed_at": _closed_at(ctx, pid, created) if status == "closed" else None,
            }
        )
        rows["contacts"].append(
            {
                "person_id": pid,
                "full_name": person.full_name,
                "email": person.email,
                "phone": person.phone,
                "updated_at": created,
            }
        )
        rows["billing_profiles"].append(
            {
                "person_id": pid,
                "card_brand": rng.choice(CARD_BRANDS),
                "card_last4": f"{rng.randint(0, 9999):04d}",
                "address_line": local.street_address().replace("\n", ", ")[:200],
                "city": local.city()[:100],
                "postal_code": local.postcode()[:20],
                "country": country,
                "updated_at": created,
            }
        )
        rows["identifiers"].append(
            {
                "person_id": pid,
                "kind": "cookie_id",
                "value": person.cookie_id,
                "first_seen": created,
                "last_seen": ctx.end,
            }
        )
        if person.google_id:
            rows["identifiers"].append(
                {
                    "person_id": pid,
                    "kind": "google_id",
                    "value": person.google_id,
                    "first_seen": created,
                    "last_seen": ctx.end,
                }
            )
    return rows


def build_invoices(ctx: DemoContext) -> Rows:
    """Monthly invoices inside the window: billing records that outlive an erasure request."""
    rng, rows = ctx.rng, []
    number = 0
    for person in ctx.people:
        issued = max(person.created_at, ctx.start) + timedelta(days=rng.randint(0, 27))
        while issued < ctx.end:
            number += 1
            rows.append(
                {
                    "person_id": person.id,
                    "number": f"INV-{number:08d}",
                    "issued_at": issued,
                    "amount_cents": rng.choice([1900, 4900, 9900, 24900]),
                    "currency": "USD",
                    "billing_name": person.full_name,
                    "billing_address": f"{person.country}",
                }
            )
            issued += timedelta(days=30)
    return {"invoices": rows}


def _closed_at(ctx: DemoContext, pid: int, created: datetime) -> datetime:
    """When a closed account was closed, without drawing from the shared random stream (the rest of
    the demo stays as it was). Planted: most were closed more than 30 days ago, so their data is
    past its retention (records-past-retention); the clean demo closed each within the last 29
    days."""
    if ctx.clean:
        return max(created, ctx.end - timedelta(days=1 + pid % 28))
    return created + (ctx.end - created) * ((pid * 7919) % 100) / 100


_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com"]


def _ascii(text: str) -> str:
    import unicodedata

    cleaned = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in cleaned if ch.isalnum()) or "user"
