"""Brute-force brake per client address, beside the per-account lockout.

The lockout stops guessing one account's password; this stops one client from spraying guesses across
many accounts: after `limit` failures inside `window` the client is refused until the oldest ages out.
Kept in memory, per server process: a restart forgives, the account lockout (in the database) does not.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

FAILURES_PER_CLIENT = 20
FAILURE_WINDOW = timedelta(minutes=15)


class FailureThrottle:
    def __init__(self, limit: int = FAILURES_PER_CLIENT, window: timedelta = FAILURE_WINDOW) -> None:
        self._limit, self._window = limit, window
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str, now: datetime) -> timedelta | None:
        """None when `client` may try again now; otherwise how long until it may."""
        with self._lock:
            recent = self._recent(client, now)
            if not recent:
                del self._failures[client]  # forget clients with no recent failure: memory stays bounded
            if len(recent) < self._limit:
                return None
            return recent[0] + self._window - now

    def record_failure(self, client: str, now: datetime) -> None:
        with self._lock:
            self._recent(client, now).append(now)

    def _recent(self, client: str, now: datetime) -> deque[datetime]:
        recent = self._failures.setdefault(client, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        return recent
