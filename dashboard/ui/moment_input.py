"""When something happened, as a form reads it: a date, a time (default now) and the zone they are
in (default the controller's). It may be before it is recorded (a disclosure or a breach noticed
after the fact)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

import streamlit as st

from dashboard.rules.deadlines import deadline_settings

ZONES = sorted(available_timezones())


def moment_input(verb: str) -> datetime | None:
    default_zone = deadline_settings().controller_tz
    left, middle, right = st.columns(3)
    day = left.date_input(f"{verb} on", value="today", format="YYYY-MM-DD")
    moment = middle.time_input(f"{verb} at", value="now", step=60)
    zone = right.selectbox(
        f"Time zone ({verb.lower()})", ZONES, index=ZONES.index(default_zone) if default_zone in ZONES else 0
    )
    return datetime.combine(day, moment, ZoneInfo(zone)) if zone is not None else None
