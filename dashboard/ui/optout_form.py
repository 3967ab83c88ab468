"""The form that records an opt-out or opt-in: history, current state, legal deadline and audit in one service call."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.services.preferences import PreferenceChange, PreferenceInputError, record_preference_change
from dashboard.settings import deadline_settings
from dashboard.ui.resources import read_session, write_session
from dashboard.ui.text import show_error, show_success
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus
from data_access.queries.people import find_people

SOURCES = [s for s in PreferenceSource if s not in (PreferenceSource.SIGNUP, PreferenceSource.IMPORT)]


def render_optout_form(principal: Principal) -> None:
    zone = deadline_settings().controller_tz
    with st.form("record-preference", clear_on_submit=False):
        term = st.text_input("Person", placeholder="email, username, user id, phone or Google ID")
        left, middle, right = st.columns(3)
        status = left.selectbox("Change", [PreferenceStatus.OPTED_OUT, PreferenceStatus.OPTED_IN],
                                format_func=lambda s: s.replace("_", " "))
        channel = middle.selectbox("Channel", [Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.ALL])
        purpose = right.selectbox("Purpose", list(CommPurpose), format_func=lambda p: p.replace("_", " "))
        source = left.selectbox("Source", SOURCES, format_func=lambda s: s.replace("_", " "))
        received_day = middle.date_input("Received on", value="today", format="YYYY-MM-DD")
        received_time = right.time_input("Received at", value="now", step=60)
        applied = st.checkbox("Suppression already applied at the time received")
        submitted = st.form_submit_button("Record", type="primary")
    if not submitted or status is None or channel is None or purpose is None or source is None:
        return
    received = datetime.combine(received_day, received_time, ZoneInfo(zone))
    _submit(principal, term, PreferenceChange(
        person_id=0, channel=channel, purpose=purpose, new_status=status, source=source, received_at=received,
        honoured_at=received if applied else None))


def _submit(principal: Principal, term: str, change: PreferenceChange) -> None:
    with read_session() as session:
        matches = find_people(session=session, term=term, limit=2) if term.strip() else []
    if len(matches) != 1:
        st.error("Person: " + ("no person matches this value exactly." if not matches else
                               "more than one person matches; use the user id."))
        return
    change = PreferenceChange(**{**change.__dict__, "person_id": matches[0].person_id})
    try:
        with write_session() as session:
            event = record_preference_change(session=session, principal=principal, change=change)
            summary = (f"Recorded {change.new_status.replace('_', ' ')} for person {change.person_id} "
                       f"on {change.channel}")
            if event.honour_by is not None:
                summary += f"; promotional messages must stop by the end of {event.honour_by} ({event.rule})"
    except PreferenceInputError as exc:
        show_error(exc)
        return
    except AccessDenied as exc:
        show_error(exc)
        return
    show_success(summary + ".")
