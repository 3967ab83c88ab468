"""The traffic rollup's dimension values of one request, defined once for the SQL rebuild and for ingest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from data_access.user_agents import classify_user_agent

VALUE_MAX = 255  # traffic_daily.value
TrafficCounts = dict[tuple[date, str, str], list[int]]  # (day, dimension, value) -> [requests, bytes_sent]


def traffic_dimensions(
    status: int | None, referrer: str | None, path: str | None, user_agent: str | None
) -> tuple[tuple[str, str], ...]:
    """(dimension, value) for status, referrer, page, browser, os and device; absent values get a label."""
    agent = classify_user_agent(user_agent)
    return (
        ("status", "-" if status is None else str(status)),
        ("referrer", "(direct)" if referrer is None else referrer[:VALUE_MAX]),
        ("page", "-" if path is None else path[:VALUE_MAX]),
        ("browser", agent.browser[:VALUE_MAX]),
        ("os", agent.os[:VALUE_MAX]),
        ("device", agent.device[:VALUE_MAX]),
    )


def count_traffic(
    lines: Iterable[tuple[date, int | None, str | None, str | None, str | None, int | None]],
) -> TrafficCounts:
    """traffic_daily's counts (all dimensions but exit pages) of lines given as (UTC day, status,
    referrer, path, user agent, bytes sent), as data_access.rollups computes them from stored rows.
    Lines repeat their status, referrer, page and agent: grouped first, each group is classified
    once."""
    groups: dict[tuple[date, int | None, str | None, str | None, str | None], list[int]] = defaultdict(
        lambda: [0, 0]
    )
    for day, status, referrer, path, user_agent, sent in lines:
        cell = groups[(day, status, referrer, path, user_agent)]
        cell[0] += 1
        cell[1] += sent or 0
    counts: TrafficCounts = defaultdict(lambda: [0, 0])
    for (day, status, referrer, path, user_agent), (requests, sent_total) in groups.items():
        for dimension, value in traffic_dimensions(status, referrer, path, user_agent):
            total = counts[(day, dimension, value)]
            total[0] += requests
            total[1] += sent_total
    return dict(counts)


class TrafficTotals:
    """Traffic counts summed over chunks, to be written in one statement (rollups.add_access_counts)."""

    def __init__(self) -> None:
        self.totals: TrafficCounts = {}

    def add(self, counts: Mapping[tuple[date, str, str], Sequence[int]]) -> None:
        for key, (requests, sent) in counts.items():
            cell = self.totals.setdefault(key, [0, 0])
            cell[0] += requests
            cell[1] += sent

    def __len__(self) -> int:
        return len(self.totals)
