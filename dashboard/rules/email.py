"""What we accept as an email address in forms and imports (one rule, used everywhere)."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))
