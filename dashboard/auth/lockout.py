"""Lockout and idle-expiry rules for staff sessions (five failures lock for 15 minutes; 30 idle
minutes end a session)."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=30)


def register_failure(failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
    """The new failure count and, when it reaches the limit, the end of the lock (the count restarts)."""
    attempts = failed_attempts + 1
    if attempts >= MAX_FAILED_ATTEMPTS:
        return 0, now + LOCKOUT
    return attempts, None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def is_idle_expired(last_seen: datetime, now: datetime) -> bool:
    return now - last_seen >= IDLE_TIMEOUT
