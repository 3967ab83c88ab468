"""The four demo staff accounts. Their password is for demos only; production refuses to start with them."""

from __future__ import annotations

from typing import Any

from dashboard.auth.passwords import hash_password

DEMO_PASSWORD = "demo-only-password"
DEMO_ACCOUNTS = [
    ("manager", "Morgan Manager", "manager"),
    ("executive", "Evelyn Executive", "executive"),
    ("auditor", "Avery Auditor", "auditor"),
    ("admin", "Alex Admin", "admin"),
]


def demo_staff_rows() -> list[dict[str, Any]]:
    return [
        {
            "username": username,
            "display_name": name,
            "role": role,
            "password_hash": hash_password(DEMO_PASSWORD),
            "is_demo": True,
            "disabled": False,
            "failed_attempts": 0,
        }
        for username, name, role in DEMO_ACCOUNTS
    ]
