"""An erasure's follow-through on screen: on the request page, the recipients to tell with a form to record
each notice (GDPR Art. 19, CCPA 1798.105(c)(1)) and the requester's completion confirmation; on the
person page, what is actually left of the person and why. Who sees what is decided by
privacy.presentation."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard.auth.roles import may
from dashboard.auth.service import Principal
from dashboard.privacy.presentation import FREE_TEXT
from dashboard.rules.deadlines import deadline_settings
from dashboard.rules.erasure_follow_through import (
    CONTACT_RETENTION_DAYS,
    NOTICE_DAYS,
    contact_erase_by,
    held_categories,
)
from dashboard.services.erasure_follow_through import (
    CHANNELS,
    NoticeEntry,
    WhatIsLeft,
    confirm_completion,
    erasure_for_request,
    recipients_with_state,
    record_recipient_notice,
    what_is_left,
)
from dashboard.ui.components import data_table
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from dashboard.ui.resources import read_session
from dashboard.ui.text import as_text
from data_access.queries.erasure_follow_through import Erasure

NOTICE_FORM = "erasure-notice"
CONFIRM_FORM = "erasure-confirmation"
SENT, EXEMPT = "Notice sent", "Not sent: impossible or disproportionate effort"
TEXT_COLUMNS = {"answer": FREE_TEXT, "exemption": FREE_TEXT}


def render_erasure_follow_through(principal: Principal, request_id: int) -> None:
    """Shown under an erased deletion request; nothing for any other request."""
    with read_session() as session:
        erasure = erasure_for_request(session=session, request_id=request_id)
        recipients = None if erasure is None else recipients_with_state(session=session, erasure=erasure)
    if erasure is None or recipients is None:
        return
    st.subheader("Erasure follow-through")
    _recipients(principal, erasure, recipients)
    _requester(principal, erasure)


def _recipients(principal: Principal, erasure: Erasure, recipients: pd.DataFrame) -> None:
    st.markdown("**Recipients to tell** (GDPR Art. 19, CCPA 1798.105(c)(1))")
    if recipients.empty:
        st.caption("The person's data went to no recipient before the erasure: nobody to tell.")
        return
    st.caption(
        f"Erased {erasure.erased_at:%Y-%m-%d %H:%M} UTC. Each recipient of the person's sharing records "
        f"is told within {NOTICE_DAYS} days, or the reason it is impossible or disproportionate is recorded."
    )
    data_table(
        recipients.drop(columns=["recipient_id"]),
        principal=principal,
        name=f"erasure-recipients-{erasure.request_id}",
        pii_columns=TEXT_COLUMNS,
    )
    if may(principal.role, "request.fulfil"):
        _notice_form(principal, erasure, recipients)


def _notice_form(principal: Principal, erasure: Erasure, recipients: pd.DataFrame) -> None:
    names = dict(zip(recipients["recipient"], recipients["recipient_id"], strict=True))
    name = f"{NOTICE_FORM}-{erasure.request_id}"
    show_saved(name)
    with st.form(form_key(name)):
        left, right = st.columns(2)
        recipient = left.selectbox("Recipient", list(names))
        outcome = right.radio("Notice", [SENT, EXEMPT])
        sent_on = left.date_input("Sent on", value="today", format="YYYY-MM-DD")
        channel = right.selectbox("Channel", CHANNELS)
        answer = left.text_input("Recipient's answer (when it came)")
        answered_on = right.date_input("Answered on", value=None, format="YYYY-MM-DD")
        reason = st.text_input("Why a notice is impossible or disproportionate (only when not sent)")
        submitted = st.form_submit_button("Record notice", type="primary")
    if not submitted or recipient is None:
        return
    sent = outcome == SENT
    entry = NoticeEntry(
        recipient_id=int(names[recipient]),
        sent_at=_at(sent_on) if sent else None,
        channel=channel if sent else None,
        answer=answer if sent else None,
        answered_at=_at(answered_on) if sent else None,
        exemption=None if sent else reason,
    )
    submit(
        name,
        lambda s: record_recipient_notice(
            session=s, principal=principal, request_id=erasure.request_id, entry=entry
        ),
        f"Notice to {recipient} recorded.",
        key=submission_key(name, entry),
    )


def _requester(principal: Principal, erasure: Erasure) -> None:
    st.markdown("**Requester**")
    name = f"{CONFIRM_FORM}-{erasure.request_id}"
    show_saved(name)  # before the early return: the confirmation it reports is what removed the form
    if not erasure.contact_kept:
        st.caption("Completion confirmed to the requester; their contact was removed from the request.")
        return
    st.caption(
        as_text(
            f"The requester's contact is kept on this request only to confirm the completion to them: "
            f"record the confirmation to remove it. Kept at most {CONTACT_RETENTION_DAYS} days: by "
            f"{contact_erase_by(erasure.erased_at):%Y-%m-%d} (docs/erasure.md)."
        )
    )
    if not may(principal.role, "request.fulfil"):
        return
    with st.form(form_key(name)):
        channel = st.selectbox("Confirmed to the requester by", CHANNELS)
        submitted = st.form_submit_button("Record confirmation and remove the contact")
    if submitted and channel is not None:
        submit(
            name,
            lambda s: confirm_completion(
                session=s, principal=principal, request_id=erasure.request_id, channel=channel
            ),
            "Completion confirmed; the requester's contact was removed.",
            key=submission_key(name, channel),
        )


def render_what_is_left(principal: Principal, person_id: int) -> list[str] | None:
    """For an erased person: what is left and why, and the recipients told; returns the categories actually
    held (for the page's summary), None when the person was not erased."""
    with read_session() as session:
        left = what_is_left(session=session, person_id=person_id)
        recipients = None if left is None else recipients_with_state(session=session, erasure=left.erasure)
    if left is None:
        return None
    st.info(
        as_text(
            f"Erased {left.erasure.erased_at:%Y-%m-%d} (request {left.erasure.reference}). What is left, "
            "and why:"
        )
    )
    data_table(_left_frame(left), principal=principal, name=f"person-{person_id}-left-after-erasure")
    if recipients is not None and not recipients.empty:
        st.caption("Recipients told of the erasure")
        data_table(
            recipients.drop(columns=["recipient_id"]),
            principal=principal,
            name=f"person-{person_id}-erasure-recipients",
            pii_columns=TEXT_COLUMNS,
        )
    return held_categories(left.left)


def _left_frame(left: WhatIsLeft) -> pd.DataFrame:
    rows = [
        {
            "table": r.table,
            "rows": r.rows,
            "form": r.form,
            "categories": ", ".join(r.categories),
            "legal_basis": r.legal_basis,
            "retention": r.retention,
            "why": r.why,
        }
        for r in left.left
    ]
    return pd.DataFrame(
        rows, columns=["table", "rows", "form", "categories", "legal_basis", "retention", "why"]
    )


def _at(day: date | None) -> datetime | None:
    """A date entered as the controller's local noon: a notice's day is what matters, not its minute."""
    return (
        None if day is None else datetime.combine(day, time(12), ZoneInfo(deadline_settings().controller_tz))
    )
