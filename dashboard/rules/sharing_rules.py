"""What the policy allows in sharing, as pure rules over one sharing record.

Policy: "We will not share any personal information, phone numbers, or SMS capabilities with third
parties" and "We may share your information with third parties only as part of the service (e.g.,
hosting companies, technology platforms) and with your consent, where required by law." Read
together: sharing is allowed only for the service, to recipients we approved and under contract, for
the categories they are approved for; phone numbers and SMS capability never.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.rules.taxonomy import covered_by_any, covers, data_category_keys, data_use_keys

PHONE = "user.contact.phone_number"
SERVICE_PURPOSES = ("essential", "functional.service")  # fideslang data uses that are 'part of the service'


def phone_or_sms_problems(categories: Sequence[str], purpose: str) -> list[str]:
    problems = [f"shares {key}" for key in categories if covers(PHONE, key)]
    if ".sms" in f".{purpose}" or purpose.endswith("sms"):
        problems.append(f"purpose {purpose} hands over SMS capability")
    return problems


def recipient_problems(
    *, approved: bool, contract_status: str, allowed: Sequence[str], categories: Sequence[str]
) -> list[str]:
    problems = []
    if not approved:
        problems.append("recipient not approved")
    if contract_status != "signed":
        problems.append(f"contract {contract_status}")
    outside = [key for key in categories if not covered_by_any(key, tuple(allowed))]
    if outside:
        problems.append("outside the recipient's allowed categories: " + ", ".join(outside))
    return problems


def purpose_problems(purpose: str) -> list[str]:
    if purpose not in data_use_keys():
        return [f"{purpose!r} is not a fideslang data use"]
    if not any(covers(service, purpose) for service in SERVICE_PURPOSES):
        return [f"{purpose} is not a service purpose"]
    return []


def unknown_categories(categories: Sequence[str]) -> list[str]:
    return [key for key in categories if key not in data_category_keys()]
