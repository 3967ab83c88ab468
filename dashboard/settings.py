"""Settings read from the environment: the one place the app learns its deployment choices.

DATABASE_URL is read in data_access.db; everything else is here.
"""

from __future__ import annotations

import os
from functools import lru_cache

from dashboard.rules.deadlines import DeadlineSettings


def environment() -> str:
    """COMPLIANCE_ENV: 'development' (default) or 'production' (refuses demo accounts, hides tracebacks)."""
    return os.environ.get("COMPLIANCE_ENV", "development").strip().lower()


def is_production() -> bool:
    return environment() == "production"


@lru_cache(maxsize=1)
def deadline_settings() -> DeadlineSettings:
    """COMPLIANCE_TZ is the controller's time zone that decides the date of receipt (legal-rules.md)."""
    return DeadlineSettings(controller_tz=os.environ.get("COMPLIANCE_TZ", "UTC"))
