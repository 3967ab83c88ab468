"""Forms for the register of requests from authorities: log one, record its legal review, its
disclosure, the notice."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard.auth.service import Principal
from dashboard.rules.deadlines import deadline_settings
from dashboard.rules.taxonomy import data_category_keys
from dashboard.services.legal_register import (
    LegalRequestInput,
    log_legal_request,
    record_disclosure,
    record_notice,
    review,
)
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from dashboard.ui.moment_input import moment_input
from data_access.models.enums import DisclosureOutcome, LegalRequestType, ReviewDecision
from data_access.types import utcnow

LOG, REVIEW, DISCLOSURE, NOTICE = "legal-log", "legal-review", "legal-disclosure", "legal-notice"


def render_log_form(principal: Principal) -> None:
    zone = ZoneInfo(deadline_settings().controller_tz)
    show_saved(LOG)
    with st.form(form_key(LOG)):
        left, right = st.columns(2)
        authority = left.text_input("Authority")
        jurisdiction = right.text_input("Jurisdiction", placeholder="US-CA, DE, GB")
        kind = left.selectbox("Type", list(LegalRequestType), format_func=lambda t: t.replace("_", " "))
        day = right.date_input("Received on", value="today", format="YYYY-MM-DD")
        accounts = st.text_area("Accounts specified (user ids)")
        submitted = st.form_submit_button("Log request", type="primary")
    if submitted and kind is not None:
        ids = tuple(int(t) for t in re.split(r"[\s,;]+", accounts) if t.isdigit())
        entry = LegalRequestInput(
            authority, jurisdiction, kind, datetime.combine(day, datetime.min.time(), zone), ids
        )
        submit(
            LOG,
            lambda s: log_legal_request(session=s, principal=principal, entry=entry).reference,
            lambda reference: f"Logged {reference}.",
            key=submission_key(LOG, entry),
        )


def render_progress_forms(principal: Principal, register: pd.DataFrame) -> None:
    if register.empty:
        return
    references = dict(zip(register["reference"], register["id"], strict=True))
    chosen = st.selectbox("Request", list(references))
    if chosen is None:
        return
    rid = int(references[chosen])
    for name in (REVIEW, DISCLOSURE, NOTICE):
        show_saved(name)
    with st.form(form_key(REVIEW)):
        st.markdown("**Legal review**")
        left, right = st.columns(2)
        reviewer = left.text_input("Reviewer")
        decision = right.selectbox("Decision", [d for d in ReviewDecision if d != ReviewDecision.PENDING])
        basis = st.text_input("Legal basis that makes it binding (to comply)")
        reason = st.text_area("Reason")
        reviewed = moment_input("Reviewed")
        if st.form_submit_button("Record review") and decision is not None and reviewed is not None:
            submit(
                REVIEW,
                lambda s: review(
                    session=s,
                    principal=principal,
                    request_id=rid,
                    reviewer=reviewer,
                    decision=decision,
                    reason=reason,
                    legal_basis=basis,
                    now=reviewed,
                ),
                "Review recorded.",
                key=submission_key(REVIEW, rid, reviewer, decision, basis, reason, reviewed),
            )
    _disclosure_form(principal, rid)
    if st.button("Record that the people were notified today"):
        submit(
            NOTICE,
            lambda s: record_notice(session=s, principal=principal, request_id=rid, at=utcnow()),
            lambda told: f"{told} person(s) marked as notified.",
            key=submission_key(NOTICE, rid, utcnow().date()),
        )


def _disclosure_form(principal: Principal, rid: int) -> None:
    """What was disclosed and when: the time may be in the past (recorded after the fact), never in
    the future."""
    with st.form(form_key(DISCLOSURE)):
        st.markdown("**What was disclosed**")
        outcome = st.selectbox("Outcome", [o for o in DisclosureOutcome if o != DisclosureOutcome.PENDING])
        categories = st.multiselect("Categories disclosed", sorted(data_category_keys()))
        at = moment_input("Disclosed")
        gagged = st.date_input("Notice to the person prohibited until (leave empty if not)", value=None)
        submitted = st.form_submit_button("Record disclosure")
    if not submitted or outcome is None or at is None:
        return
    submit(
        DISCLOSURE,
        lambda s: record_disclosure(
            session=s,
            principal=principal,
            request_id=rid,
            outcome=outcome,
            categories=tuple(categories),
            disclosed_at=at,
            notice_prohibited_until=gagged,
        ),
        "Disclosure recorded.",
        key=submission_key(DISCLOSURE, rid, outcome, tuple(categories), at, gagged),
    )
