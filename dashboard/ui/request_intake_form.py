"""The intake form: a request as the requester made it, logged by staff; deadlines are stamped on save."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

import streamlit as st

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.rules.deadlines import deadline_settings
from dashboard.rules.field_error import FieldError
from dashboard.rules.regimes import REGIME_LABELS
from dashboard.services.request_intake import RequestIntake, create_request, suggest_people
from dashboard.ui.resources import read_session, write_session
from dashboard.ui.text import show_error, show_success
from data_access.models.enums import RequestChannel, RequestType

ZONES = sorted(available_timezones())


FLASH = "intake_flash"


def render_intake_form(principal: Principal) -> None:
    for message in st.session_state.pop(FLASH, []):
        show_success(message)
    default_zone = deadline_settings().controller_tz
    with st.form("request-intake"):
        left, right = st.columns(2)
        name = left.text_input("Requester's name")
        email = right.text_input("Requester's email")
        phone = left.text_input("Requester's phone")
        kind = right.selectbox("Type", list(RequestType), format_func=lambda t: t.replace("-", " "))
        country = left.text_input(
            "Country (ISO code)", max_chars=2, help="Decides the regime with the state."
        )
        region = right.text_input("US state / province code", max_chars=8)
        regime = left.selectbox(
            "Regime",
            ["from country", *REGIME_LABELS],
            format_func=lambda r: REGIME_LABELS.get(r, "From the country and state"),
        )
        channel = right.selectbox(
            "Received via", list(RequestChannel), format_func=lambda c: c.replace("_", " ")
        )
        day = left.date_input("Received on", value="today", format="YYYY-MM-DD")
        moment = right.time_input("Received at", value="now", step=60)
        zone = left.selectbox(
            "Time zone of that time", ZONES, index=ZONES.index(default_zone) if default_zone in ZONES else 0
        )
        agent = right.checkbox("Submitted by an authorised agent")
        details = st.text_area("What was asked, in the requester's words")
        person_term = st.text_input("Matched person (user id), if already confirmed")
        submitted = st.form_submit_button("Log request", type="primary")
    if not submitted or kind is None or channel is None or regime is None or zone is None:
        return
    try:
        intake = RequestIntake(
            requester_name=name,
            request_type=kind,
            channel=channel,
            received_at=datetime.combine(day, moment, ZoneInfo(zone)),
            requester_email=email or None,
            requester_phone=phone or None,
            country=country.upper() or None,
            region=region.upper() or None,
            regime=None if regime == "from country" else regime,
            via_agent=agent,
            details=details or None,
            person_id=int(person_term) if person_term.strip().isdigit() else None,
        )
        with write_session() as session:
            request = create_request(session=session, principal=principal, intake=intake)
            summary = (
                f"Logged {request.reference} ({REGIME_LABELS[request.regime]}): answer due "
                f"{request.due_date}"
                + (f", acknowledge by {request.acknowledge_by}" if request.acknowledge_by else "")
            )
    except FieldError as exc:
        show_error(exc)
        return
    except AccessDenied as exc:
        show_error(exc)
        return
    messages = [summary + "."]
    with read_session() as session:
        matches = suggest_people(session=session, values=[email, phone])
    if matches and intake.person_id is None:
        messages.append(
            "Possible matches to confirm on the request's page: "
            + ", ".join(f"person {m.person_id} ({m.username})" for m in matches)
        )
    st.session_state[FLASH] = messages
    st.rerun()  # the queue and the request list now include it
