"""Recipients, sharing records, legal requests, a business transfer and two policy versions.

Planted violations: one sharing record to the SMS gateway includes phone numbers (policy:
'We will not share ... phone numbers, or SMS capabilities'); an analytics trial shared usage data
with a recipient not yet approved, for a purpose that is not part of the service; two people in the
consent-based feedback survey never consented; a few people affected by the acquisition and by the
policy change were never notified; one legal disclosure was made with no recorded legal review.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from dashboard.demo.context import DemoContext

Rows = dict[str, list[dict[str, Any]]]
# A copy of ../shared/policy/privacy-policy.txt (tests keep the two equal), so a clone works on its own.
POLICY_FILE = Path(__file__).resolve().parent / "privacy-policy.txt"

RECIPIENTS = [
    # id, name, role, country, contract, approved, allowed categories
    (
        1,
        "Cloudharbor Hosting",
        "hosting",
        "US",
        "signed",
        True,
        ["user.contact", "user.financial", "user.account", "user.device", "user.behavior", "user.unique_id"],
    ),
    (
        2,
        "Stackline Email Platform",
        "technology_platform",
        "US",
        "signed",
        True,
        ["user.contact.email", "user.name"],
    ),
    (3, "Relaywave SMS Gateway", "technology_platform", "US", "signed", True, ["user.account.username"]),
    (
        4,
        "Ledgerly Payments",
        "payment_processor",
        "IE",
        "signed",
        True,
        ["user.financial", "user.contact.email"],
    ),
    (
        5,
        "Metricly Analytics",
        "analytics",
        "DE",
        "pending",
        False,
        ["user.behavior", "user.device.cookie_id"],
    ),
    (6, "Hearken Feedback", "technology_platform", "GB", "signed", True, ["user.contact.email", "user.name"]),
]


def build_registers(ctx: DemoContext, consenting: list[int]) -> Rows:
    rows: Rows = {
        "recipients": [],
        "sharing_records": [],
        "sharing_record_people": [],
        "legal_requests": [],
        "legal_request_people": [],
        "business_transfers": [],
        "business_transfer_people": [],
        "policy_versions": [],
        "policy_notifications": [],
    }
    for rid, name, role, country, contract, approved, categories in RECIPIENTS:
        rows["recipients"].append(
            {
                "id": rid,
                "name": name,
                "role": role,
                "country": country,
                "contract_status": contract,
                "dpa_signed_on": date(2023, 3, 1) if contract == "signed" else None,
                "contract_start": date(2023, 3, 1),
                "contract_end": None,
                "approved": approved,
                "allowed_categories": categories,
                "notes": None,
            }
        )
    _sharing(ctx, rows, consenting)
    _legal(ctx, rows)
    _transfer(ctx, rows)
    _policy(ctx, rows)
    return rows


def _sharing(ctx: DemoContext, rows: Rows, consenting: list[int]) -> None:
    everyone = [p.id for p in ctx.people]
    record_id = 0

    def add(
        recipient: int,
        at: datetime,
        categories: list[str],
        purpose: str,
        basis: str,
        people: list[int],
        scope: str | None = None,
        description: str = "",
    ) -> None:
        nonlocal record_id
        record_id += 1
        rows["sharing_records"].append(
            {
                "id": record_id,
                "recipient_id": recipient,
                "shared_at": at,
                "categories": categories,
                "purpose": purpose,
                "legal_basis": basis,
                "consent_scope": scope,
                "description": description,
                "recorded_by": "demo",
                "recorded_at": at,
            }
        )
        rows["sharing_record_people"].extend(
            {
                "sharing_record_id": record_id,
                "person_id": pid,
                "consent_reference": f"CONS-{pid:07d}" if scope else None,
            }
            for pid in people
        )

    month = ctx.start + timedelta(days=1)
    while month < ctx.end:
        add(
            1,
            month,
            ["user.contact", "user.financial", "user.account"],
            "essential.service",
            "contract",
            everyone,
            description="Monthly encrypted backup to hosting provider",
        )
        add(
            2,
            month + timedelta(days=2),
            ["user.contact.email", "user.name"],
            "essential.service.notifications",
            "contract",
            everyone[: len(everyone) // 2],
            description="Invoice notification delivery",
        )
        month += timedelta(days=30)
    survey_at = ctx.start + timedelta(days=20)
    created = {p.id: p.created_at for p in ctx.people}
    consented_before = [pid for pid in sorted(consenting) if created[pid] <= survey_at][:200]
    not_consenting = [p.id for p in ctx.people if p.id not in set(consenting) and p.created_at <= survey_at][
        :2
    ]
    add(
        6,
        survey_at,
        ["user.contact.email", "user.name"],
        "functional.service.improve",
        "consent",
        consented_before + ([] if ctx.clean else not_consenting),
        scope="sharing:feedback",  # planted: 2 never did
        description="Product feedback survey",
    )
    if ctx.clean:
        return
    add(
        5,
        ctx.end - timedelta(days=40),
        ["user.behavior", "user.device.cookie_id"],
        "analytics.reporting",
        "legitimate_interests",
        everyone[:50],  # planted: unapproved recipient, not a service purpose
        description="Usage analytics trial before the contract was signed",
    )
    with_phone = [p.id for p in ctx.people if p.phone][: max(5, len(ctx.people) // 20)]
    add(
        3,
        ctx.end - timedelta(days=25),
        ["user.account.username", "user.contact.phone_number"],
        "essential.service.notifications",
        "contract",
        with_phone,
        description="SMS payment reminders pilot: phone numbers exported to gateway",
    )


def _legal(ctx: DemoContext, rows: Rows) -> None:
    specs = [
        # type, authority, jurisdiction, decision, outcome, categories, notified, prohibited days,
        # reviewed
        (
            "subpoena",
            "Superior Court of California",
            "US-CA",
            "comply",
            "some",
            ["user.contact.email"],
            True,
            0,
            True,
        ),
        (
            "court_order",
            "Amtsgericht Berlin",
            "DE",
            "comply",
            "all",
            ["user.contact", "user.financial"],
            True,
            0,
            True,
        ),
        (
            "search_warrant",
            "FBI Field Office",
            "US",
            "partially_comply",
            "some",
            ["user.device.ip_address"],
            False,
            90,
            True,
        ),
        (
            "emergency",
            "Metropolitan Police",
            "GB",
            "comply",
            "some",
            ["user.contact.phone_number"],
            True,
            0,
            True,
        ),
        ("subpoena", "NY County DA", "US-NY", "reject", "none", [], False, 0, True),
        ("other", "Revenue agency", "IE", "reject", "none", [], False, 0, True),
        ("national_security", "Undisclosed agency", "US", "pending", "pending", [], False, 365, False),
        (
            "court_order",
            "Tribunal judiciaire de Paris",
            "FR",
            "pending",
            "some",
            ["user.contact.email"],
            False,
            0,
            False,
        ),
    ]
    for index, (
        kind,
        authority,
        jurisdiction,
        decision,
        outcome,
        cats,
        notified,
        prohibited,
        reviewed,
    ) in enumerate(specs, 1):
        if ctx.clean and outcome in ("all", "some") and not reviewed:
            decision, reviewed = "comply", True  # the clean dataset reviewed every disclosure
        received = ctx.start + timedelta(days=index * ctx.days // (len(specs) + 1))
        rows["legal_requests"].append(
            {
                "id": index,
                "reference": f"LR-{received:%Y}-{index:03d}",
                "authority": authority,
                "jurisdiction": jurisdiction,
                "request_type": kind,
                "received_at": received,
                "legal_basis": f"{kind.replace('_', ' ')} under local law" if reviewed else None,
                "reviewer": "Legal Counsel" if reviewed else None,
                "review_decision": decision,
                "review_reason": "Valid and narrowly scoped"
                if decision in ("comply", "partially_comply")
                else ("Overbroad; not legally binding on us" if decision == "reject" else None),
                "reviewed_at": received + timedelta(days=3) if reviewed else None,
                "categories_disclosed": cats,
                "outcome": outcome,
                "disclosed_at": received + timedelta(days=6) if outcome in ("all", "some") else None,
                "notice_prohibited_until": (received + timedelta(days=prohibited)).date()
                if prohibited
                else None,
                "recorded_by": "demo",
                "recorded_at": received,
            }
        )
        for person in ctx.rng.sample(ctx.people, k=min(len(ctx.people), ctx.rng.randint(1, 3))):
            rows["legal_request_people"].append(
                {
                    "legal_request_id": index,
                    "person_id": person.id,
                    "notified_at": received + timedelta(days=8) if notified else None,
                }
            )


def _transfer(ctx: DemoContext, rows: Rows) -> None:
    effective = (ctx.end - timedelta(days=ctx.days // 3)).date()
    rows["business_transfers"].append(
        {
            "id": 1,
            "event": "acquisition",
            "counterparty": "Northgate Software Group",
            "effective_date": effective,
            "description": (
                "Interface Billing acquired by Northgate Software Group; customer data moves with "
                "the business."
            ),
            "recorded_at": ctx.end - timedelta(days=ctx.days // 3 + 10),
        }
    )
    at = datetime.combine(effective, datetime.min.time(), tzinfo=ctx.end.tzinfo) - timedelta(days=14)
    affected = [p for p in ctx.people if p.created_at < at]
    unnotified = set() if ctx.clean else {p.id for p in affected[:: max(10, len(affected) // 12 or 1)]}
    for person in affected:
        rows["business_transfer_people"].append(
            {
                "transfer_id": 1,
                "person_id": person.id,
                "channel": "email",
                "notified_at": None if person.id in unnotified else at + timedelta(days=1),
            }
        )


def _policy(ctx: DemoContext, rows: Rows) -> None:
    current = POLICY_FILE.read_text(encoding="utf-8") if POLICY_FILE.exists() else "Privacy Policy"
    previous = current.replace(
        "- Persistent Identifiers: We may collect persistent identifiers, such as your Google ID, "
        "to recognize you "
        "the next time you use our services.\n",
        "",
    )
    v2_effective = (ctx.end - timedelta(days=ctx.days // 2)).date()
    rows["policy_versions"] += [
        {
            "id": 1,
            "version": "2023.1",
            "effective_date": date(2023, 1, 15),
            "summary": "Initial published policy.",
            "text": previous,
            "published_at": datetime(2023, 1, 1, tzinfo=ctx.end.tzinfo),
        },
        {
            "id": 2,
            "version": "2026.1",
            "effective_date": v2_effective,
            "summary": "Adds persistent identifiers (Google ID) to the information collected automatically.",
            "text": current,
            "published_at": ctx.end - timedelta(days=ctx.days // 2 + 30),
        },
    ]
    notice = ctx.end - timedelta(days=ctx.days // 2 + 29)
    existing = [p for p in ctx.people if p.created_at < notice]
    skipped = set() if ctx.clean else {p.id for p in existing[7 :: max(15, len(existing) // 8 or 1)]}
    for person in existing:
        if person.id not in skipped:
            rows["policy_notifications"].append(
                {"policy_version_id": 2, "person_id": person.id, "notified_at": notice, "channel": "email"}
            )
