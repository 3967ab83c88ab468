"""`compliance retention purge` at benchmark scale (issue 28: measured at 1M people / 20M log
lines).

The purge deletes, so it runs on a copy of the dataset (bench.datasets.copy_dataset), never on the
kept one, and the copy is dropped afterwards. The bulk datasets hold no closed account, so on the
copy one person in CLOSED_EVERY (3%, as `compliance demo` closes) is closed at their last update,
inside the data's year. It is judged as of AHEAD after the dataset's newest log line: the access
log's 13 months then reach back to half of its year, and every closed account is past its 30 days,
as on a first purge of a year of data; the periods of two years and more (events, messages) have
nothing past them yet. The CLI runs in its own process (bench.memory.peak_rss_mb): the figures are
its whole time (also as a ratio to the time the copy took, a reference measured in the same run:
reading and writing the whole database once), its seconds and records per category (its --json) and
its peak memory. The check's counts (records-past-retention) are taken before and after: after must
be empty."""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from bench.datasets import copy_dataset, drop_copy
from bench.memory import cli, peak_rss_mb
from dashboard.services.retention import past_retention
from data_access.db import make_engine, session_factory, transaction
from data_access.models import AccessLogEntry, Person
from data_access.models.enums import AccountStatus

CLOSED_EVERY = 33
AHEAD = timedelta(days=183)  # about 6 months: the access log's cutoff falls half-way through the data's year


def retention_purge(url: str) -> dict[str, Any]:
    """Purge a copy of the dataset at `url`; the figures as a JSON-ready dict (see the module's
    docstring)."""
    started = time.perf_counter()
    copy = copy_dataset(url, "retention")
    copy_seconds = time.perf_counter() - started
    try:
        _close_accounts(copy)
        as_of = _newest_line(copy) + AHEAD
        before = _past(copy, as_of)
        with tempfile.TemporaryDirectory() as tmp:
            output = Path(tmp) / "purge.json"
            started = time.perf_counter()
            peak, code = peak_rss_mb(
                cli("retention", "purge", "--json", "--as-of", f"{as_of:%Y-%m-%dT%H:%M:%S}"),
                {**os.environ, "DATABASE_URL": copy},
                output,
            )
            seconds = time.perf_counter() - started
            answer = json.loads(output.read_text() or "{}")
        after = _past(copy, as_of)
    finally:
        drop_copy(copy)
    return {
        "as_of": as_of.isoformat(),
        "seconds": seconds,
        "copy_seconds": copy_seconds,
        "peak_mb": peak,
        "exit_code": code,
        "before": before,
        "after": after,
        "error": answer.get("error"),
        "categories": [
            {key: c[key] for key in ("category", "records", "seconds", "partitions")}
            for c in answer.get("categories", [])
        ],
    }


def retention_lines(label: str, run: dict[str, Any]) -> list[str]:
    """The table's lines for one dataset's purge: the whole command, then one line per category."""
    past_after = sum(run["after"].values())
    lines = [
        f"  {label}: retention purge as of {run['as_of'][:10]} (copy): {run['seconds']:.1f} s "
        f"({run['seconds'] / run['copy_seconds']:.1f} x copying the dataset, "
        f"{run['copy_seconds']:.1f} s), peak {run['peak_mb']:.0f} MB, "
        f"past retention before {sum(run['before'].values()):,}, after "
        f"{past_after:,}"
        + (" NOT ZERO" if past_after else "")
        + (f" (exit {run['exit_code']}: {run['error']})" if run["exit_code"] else "")
    ]
    width = max((len(c["category"]) for c in run["categories"]), default=0)
    for category in run["categories"]:
        dropped = f" ({len(category['partitions'])} partitions dropped)" if category["partitions"] else ""
        lines.append(
            f"    {category['category']:<{width}} {category['records']:>11,} "
            f"{category['seconds']:>8.2f} s" + dropped
        )
    return lines


def _close_accounts(url: str) -> None:
    engine = make_engine(url)
    with transaction(engine) as session:
        session.execute(
            update(Person)
            .where(Person.id % CLOSED_EVERY == 0, Person.status == AccountStatus.ACTIVE)
            .values(status=AccountStatus.CLOSED, closed_at=Person.updated_at)
        )
    engine.dispose()


def _newest_line(url: str) -> datetime:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        newest = session.scalar(select(func.max(AccessLogEntry.ts)))
    engine.dispose()
    return (newest or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)  # the CLI reads UTC


def _past(url: str, as_of: datetime) -> dict[str, int]:
    """records-past-retention's counts per category at `as_of`."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        counted = {category.name: found.records for category, found in past_retention(session, as_of)}
    engine.dispose()
    return counted
