"""The top of a request's page: what a manager needs before anything else (issue 24: the due date
was row 18 of 27 raw fields). Status, days left or overdue, the due and extended due dates, regime,
requester and the next allowed actions; the requester as the role may see them
(privacy.presentation)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.auth.service import Principal
from dashboard.presentation.format import days_overdue as days_overdue_text
from dashboard.privacy.presentation import present
from dashboard.rules.regimes import REGIME_LABELS
from dashboard.rules.request_workflow import (
    RequestSituation,
    days_overdue,
    effective_due,
    extension_open,
    next_actions,
    queue_state,
)
from dashboard.services.request_workflow import extension_due
from dashboard.ui.text import as_text
from data_access.models.enums import RequestStatus, RequestType

REQUESTER = ("requester_name", "requester_email", "requester_phone")
NO_DATE = "–"
HEADER_KEY = "request-header"  # the container's CSS class is st-key-request-header (browser tests find it so)


def situation(request: Mapping[str, Any], *, fulfilled: bool, today: date) -> RequestSituation:
    """The request's situation for the workflow rule, from its stored values and whether a
    fulfilment is logged."""
    extension = extension_due(str(request["regime"]), request["received_at"], str(request["type"]))
    return RequestSituation(
        status=RequestStatus(request["status"]),
        request_type=RequestType(request["type"]),
        person_confirmed=request["person_id"] is not None,
        fulfilled=fulfilled,
        extension_open=extension_open(extension, request["due_date"], request["extended_due_date"], today),
    )


def render_request_header(
    principal: Principal, request: Mapping[str, Any], *, fulfilled: bool, today: date
) -> None:
    regime = str(request["regime"])
    with st.container(border=True, key=HEADER_KEY):
        st.subheader(as_text(f"{request['reference']} · {request['type']} request"), anchor=False)
        status, timing, due, extended = st.columns(4)
        status.metric("Status", str(request["status"]).replace("_", " "))
        timing.metric(*_timing(request, today))
        due.metric("Due", _day(request["due_date"]))
        extended.metric(
            "Extended due",
            _day(request["extended_due_date"]),
            help=None if request["extended_due_date"] is None else "the deadline after the extension",
        )
        st.markdown(
            f"**Regime** {as_text(REGIME_LABELS.get(regime, regime))} ({as_text(regime)}) · "
            f"**Received** {request['received_at']:%Y-%m-%d %H:%M} UTC · "
            f"**Assignee** {as_text(request['assignee'] or 'nobody')}"
        )
        st.markdown(f"**Requester** {_requester(principal, request)}")
        actions = next_actions(situation(request, fulfilled=fulfilled, today=today))
        st.markdown(
            "**Next allowed actions** "
            + ("; ".join(as_text(a) for a in actions) if actions else "none: the request is closed")
        )


def _timing(request: Mapping[str, Any], today: date) -> tuple[str, str]:
    """(label, value) of the days metric: days left, days overdue, or when a closed request closed."""
    due, extended = request["due_date"], request["extended_due_date"]
    closed_at = request["closed_at"]
    if closed_at is not None:
        closed_on = _as_date(closed_at)
        late = days_overdue(due, extended, closed_on=closed_on, as_of=today)
        return "Closed", f"{closed_on:%Y-%m-%d}" + (f" ({days_overdue_text(late)})" if late else " (on time)")
    state = queue_state(RequestStatus(request["status"]), effective_due(due, extended), today)
    if state.days_left is None:  # closed without a closing time (not written by this app)
        return "Closed", NO_DATE
    if state.days_left < 0:
        return "Late", days_overdue_text(days_overdue(due, extended, closed_on=None, as_of=today))
    return "Days left", "due today" if state.days_left == 0 else str(state.days_left)


def _requester(principal: Principal, request: Mapping[str, Any]) -> str:
    shown = present(pd.DataFrame([{name: request[name] for name in REQUESTER}]), principal)
    values = [
        str(shown.iloc[0][name])
        for name in REQUESTER
        if name in shown.columns and shown.iloc[0][name] is not None and not pd.isna(shown.iloc[0][name])
    ]
    if not any(name in shown.columns for name in REQUESTER):
        return "withheld"
    return as_text(" · ".join(values)) if values else "no contact recorded"


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _day(value: date | datetime | None) -> str:
    return NO_DATE if value is None else f"{_as_date(value):%Y-%m-%d}"
