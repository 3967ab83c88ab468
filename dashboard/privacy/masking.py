"""The one masking function family for auditors (design: `j***@example.com`, `+1 *** *** 1234`,
`203.0.113.x`).

Masking keeps enough to recognise a record (domain, country code, last four digits, network)
and never enough to identify the person. It never raises: odd input is masked generically.
A person's id is not masked but replaced by the person's keyed pseudonym (privacy.pseudonyms), so that one
person can be followed across pages and exports; privacy.presentation decides which.
"""

from __future__ import annotations

import re
from typing import Any

_DIGITS = re.compile(r"\d")


def mask_email(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    local, sep, domain = value.partition("@")
    if not sep:
        return mask_text(value)
    return f"{local[:1]}***@{domain}"


def mask_phone(value: Any) -> Any:
    """Keep the country code (when written with '+') and the last four digits."""
    if value is None or not isinstance(value, str):
        return value
    digits = _DIGITS.findall(value)
    if len(digits) <= 4:
        return "***"
    last4 = "".join(digits[-4:])
    if value.strip().startswith("+"):
        code = value.strip()[1:].split(" ")[0] if " " in value.strip() else "".join(digits[:1])
        code = code if code.isdigit() and len(code) <= 3 else "".join(digits[:1])
        return f"+{code} *** *** {last4}"
    return f"*** *** {last4}"


def mask_ip(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    if value.count(".") == 3 and ":" not in value:
        return value.rsplit(".", 1)[0] + ".x"
    if ":" in value:
        hextets = [h for h in value.split(":") if h][:3]
        return ":".join(hextets) + "::x"
    return mask_text(value)


def mask_name(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    return " ".join(f"{part[:1]}***" for part in value.split()) or "***"


def mask_text(value: Any) -> Any:
    if value is None:
        return None
    text = str(value)
    return f"{text[:1]}***" if text else ""


def mask_last4(value: Any) -> Any:
    if value is None:
        return None
    digits = "".join(_DIGITS.findall(str(value)))
    return f"***{digits[-4:]}" if len(digits) >= 4 else "***"


def mask_value(category_key: str, value: Any) -> Any:
    """Mask a value by its fideslang data category."""
    if value is None:
        return None
    if category_key.startswith("user.contact.email"):
        return mask_email(value)
    if category_key.startswith("user.contact.phone_number"):
        return mask_phone(value)
    if category_key.startswith("user.device.ip_address"):
        return mask_ip(value)
    if category_key.startswith(("user.name", "user.contact.name")):
        return mask_name(value)
    if category_key.startswith(("user.financial", "user.payment")):
        return mask_last4(value)
    return mask_text(value)
