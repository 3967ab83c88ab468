"""Forms for the register of requests from authorities: log one, record its legal review, its disclosure, the notice."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.inventory.taxonomy import data_category_keys
from dashboard.services.legal_register import (
    LegalInputError,
    LegalRequestInput,
    log_legal_request,
    record_disclosure,
    record_notice,
    review,
)
from dashboard.settings import deadline_settings
from dashboard.ui.resources import write_session
from dashboard.ui.text import show_error, show_success
from data_access.models.enums import DisclosureOutcome, LegalRequestType, ReviewDecision
from data_access.types import utcnow


def render_log_form(principal: Principal) -> None:
    zone = ZoneInfo(deadline_settings().controller_tz)
    with st.form("legal-log"):
        left, right = st.columns(2)
        authority = left.text_input("Authority")
        jurisdiction = right.text_input("Jurisdiction", placeholder="US-CA, DE, GB")
        kind = left.selectbox("Type", list(LegalRequestType), format_func=lambda t: t.replace("_", " "))
        day = right.date_input("Received on", value="today", format="YYYY-MM-DD")
        accounts = st.text_area("Accounts specified (user ids)")
        submitted = st.form_submit_button("Log request", type="primary")
    if submitted and kind is not None:
        ids = tuple(int(t) for t in re.split(r"[\s,;]+", accounts) if t.isdigit())
        entry = LegalRequestInput(authority, jurisdiction, kind, datetime.combine(day, datetime.min.time(), zone), ids)
        _act(lambda s: log_legal_request(session=s, principal=principal, entry=entry).reference,
             lambda reference: f"Logged {reference}.")


def render_progress_forms(principal: Principal, register: pd.DataFrame) -> None:
    if register.empty:
        return
    references = dict(zip(register["reference"], register["id"], strict=True))
    chosen = st.selectbox("Request", list(references))
    if chosen is None:
        return
    rid = int(references[chosen])
    with st.form("legal-review"):
        st.markdown("**Legal review**")
        left, right = st.columns(2)
        reviewer = left.text_input("Reviewer")
        decision = right.selectbox("Decision", [d for d in ReviewDecision if d != ReviewDecision.PENDING])
        basis = st.text_input("Legal basis that makes it binding (to comply)")
        reason = st.text_area("Reason")
        if st.form_submit_button("Record review") and decision is not None:
            _act(lambda s: review(session=s, principal=principal, request_id=rid, reviewer=reviewer,
                                  decision=decision, reason=reason, legal_basis=basis), lambda _: "Review recorded.")
    with st.form("legal-disclosure"):
        st.markdown("**What was disclosed**")
        outcome = st.selectbox("Outcome", [o for o in DisclosureOutcome if o != DisclosureOutcome.PENDING])
        categories = st.multiselect("Categories disclosed", sorted(data_category_keys()))
        gagged = st.date_input("Notice to the person prohibited until (leave empty if not)", value=None)
        if st.form_submit_button("Record disclosure") and outcome is not None:
            _act(lambda s: record_disclosure(session=s, principal=principal, request_id=rid, outcome=outcome,
                                             categories=tuple(categories), disclosed_at=utcnow(),
                                             notice_prohibited_until=gagged), lambda _: "Disclosure recorded.")
    if st.button("Record that the people were notified today"):
        _act(lambda s: record_notice(session=s, principal=principal, request_id=rid, at=utcnow()),
             lambda told: f"{told} person(s) marked as notified.")


def _act(action: Callable[[Any], Any], message: Callable[[Any], str]) -> None:
    try:
        with write_session() as session:
            result = action(session)
    except LegalInputError as exc:
        show_error(exc)
        return
    except AccessDenied as exc:
        show_error(exc)
        return
    show_success(message(result))
