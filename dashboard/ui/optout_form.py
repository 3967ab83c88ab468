"""The forms that record an opt-out or opt-in (history, current state, legal deadline and audit in one service
call) and that mark a pending opt-out's suppression applied later."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.rules.deadlines import deadline_settings
from dashboard.services.optout_lifecycle import mark_suppression_applied
from dashboard.services.preferences import PreferenceChange, PreferenceInputError, record_preference_change
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from data_access.models import PreferenceEvent
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus
from data_access.queries.people import find_people

SOURCES = [s for s in PreferenceSource if s not in (PreferenceSource.SIGNUP, PreferenceSource.IMPORT)]
ZONES = sorted(available_timezones())
RECORD, HONOUR = "record-preference", "mark-suppression-applied"


def render_optout_form(principal: Principal) -> None:
    zone = deadline_settings().controller_tz
    show_saved(RECORD)
    with st.form(form_key(RECORD)):
        term = st.text_input("Person", placeholder="email, username, user id, phone or Google ID")
        left, middle, right = st.columns(3)
        status = left.selectbox(
            "Change",
            [PreferenceStatus.OPTED_OUT, PreferenceStatus.OPTED_IN],
            format_func=lambda s: s.replace("_", " "),
        )
        channel = middle.selectbox("Channel", [Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.ALL])
        purpose = right.selectbox("Purpose", list(CommPurpose), format_func=lambda p: p.replace("_", " "))
        source = left.selectbox("Source", SOURCES, format_func=lambda s: s.replace("_", " "))
        received_day = middle.date_input("Received on", value="today", format="YYYY-MM-DD")
        received_time = right.time_input(f"Received at ({zone})", value="now", step=60)
        applied = st.checkbox("Suppression already applied at the time received")
        submitted = st.form_submit_button("Record", type="primary")
    if not submitted or status is None or channel is None or purpose is None or source is None:
        return
    received = datetime.combine(received_day, received_time, ZoneInfo(zone))
    change = PreferenceChange(
        person_id=0,
        channel=channel,
        purpose=purpose,
        new_status=status,
        source=source,
        received_at=received,
        honoured_at=received if applied else None,
    )
    submit(
        RECORD,
        lambda s: _record(s, principal, term, change),
        _summary,
        key=submission_key(RECORD, term, change),
    )


def _record(session: Session, principal: Principal, term: str, change: PreferenceChange) -> PreferenceEvent:
    """The person named by `term` (exactly one), then the change through the service."""
    matches = find_people(session=session, term=term, limit=2) if term.strip() else []
    if len(matches) != 1:
        raise PreferenceInputError(
            "Person",
            "no person matches this value exactly."
            if not matches
            else "more than one person matches; use the user id.",
        )
    change = PreferenceChange(**{**change.__dict__, "person_id": matches[0].person_id})
    return record_preference_change(session=session, principal=principal, change=change)


def _summary(event: PreferenceEvent) -> str:
    summary = f"Recorded {event.new_status.replace('_', ' ')} for person {event.person_id} on {event.channel}"
    if event.honour_by is not None:
        summary += f"; promotional messages must stop by the end of {event.honour_by} ({event.rule})"
    return summary + "."


def render_honour_form(principal: Principal, pending: pd.DataFrame) -> None:
    """Pick a pending opt-out and say when its suppression was applied (not before receipt, not in
    the future)."""
    show_saved(HONOUR)
    if pending.empty:
        st.info("No opt-out is waiting for its suppression.")
        return
    labels = {
        int(row["id"]): f"{row['id']}: person {row['person_id']}, {row['channel']} {row['purpose']}, "
        f"received {row['received_at']:%Y-%m-%d %H:%M} UTC, honour by {row['honour_by']}"
        for row in pending.to_dict(orient="records")
    }
    default_zone = deadline_settings().controller_tz
    with st.form(form_key(HONOUR)):
        opt_out = st.selectbox("Opt-out", list(labels), format_func=labels.__getitem__)
        left, middle, right = st.columns(3)
        day = left.date_input("Applied on", value="today", format="YYYY-MM-DD")
        moment = middle.time_input("Applied at", value="now", step=60)
        zone = right.selectbox(
            "Time zone of that time", ZONES, index=ZONES.index(default_zone) if default_zone in ZONES else 0
        )
        submitted = st.form_submit_button("Mark suppression applied", type="primary")
    if not submitted or opt_out is None or zone is None:
        return
    at = datetime.combine(day, moment, ZoneInfo(zone))
    submit(
        HONOUR,
        lambda s: mark_suppression_applied(session=s, principal=principal, opt_out_id=opt_out, at=at),
        lambda event: (
            f"Suppression of opt-out {event.id} marked applied at {at:%Y-%m-%d %H:%M %Z}; "
            f"deadline {event.honour_by}."
        ),
        key=submission_key(HONOUR, opt_out, at),
    )
