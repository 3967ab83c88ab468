"""The traffic rollup's dimension values of one request, defined once for the SQL rebuild and for ingest."""

from __future__ import annotations

from data_access.ingest.user_agents import classify_user_agent

VALUE_MAX = 255  # traffic_daily.value


def traffic_dimensions(status: int | None, referrer: str | None, path: str | None,
                       user_agent: str | None) -> tuple[tuple[str, str], ...]:
    """(dimension, value) for status, referrer, page, browser, os and device; absent values get a label."""
    agent = classify_user_agent(user_agent)
    return (("status", "-" if status is None else str(status)),
            ("referrer", "(direct)" if referrer is None else referrer[:VALUE_MAX]),
            ("page", "-" if path is None else path[:VALUE_MAX]),
            ("browser", agent.browser[:VALUE_MAX]), ("os", agent.os[:VALUE_MAX]), ("device", agent.device[:VALUE_MAX]))
