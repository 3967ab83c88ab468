"""Per-person and ingest measurements. A probe returns seconds, or None when its capability is not built yet.

Probes that change data run inside a transaction that is rolled back, so a dataset can be reused.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable

from sqlalchemy import func, select

from data_access.db import make_engine, session_factory
from data_access.models import AccessLogEntry

Probe = Callable[[str], float | None]


def busiest_person(url: str) -> int:
    """A person with a long history: the one with the most log lines among the first thousand ids."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        person_id = session.scalar(select(AccessLogEntry.person_id).where(AccessLogEntry.person_id.between(1, 1000))
                                   .group_by(AccessLogEntry.person_id).order_by(func.count().desc()).limit(1))
    engine.dispose()
    return int(person_id or 1)


def _optional(module: str, name: str) -> Callable[..., object] | None:
    try:
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        return None


def _timed_in_rollback(url: str, work: Callable[..., object]) -> float:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        started = time.perf_counter()
        work(session)
        elapsed = time.perf_counter() - started
        session.rollback()
    engine.dispose()
    return elapsed


def inventory_seconds(url: str) -> float | None:
    person_inventory = _optional("dashboard.inventory.person", "person_inventory")
    if person_inventory is None:
        return None
    person_id = busiest_person(url)
    _timed_in_rollback(url, lambda s: person_inventory(session=s, person_id=person_id))  # warm the plan cache
    return _timed_in_rollback(url, lambda s: person_inventory(session=s, person_id=person_id))


PROBES: dict[str, Probe] = {"inventory_one_person": inventory_seconds}
