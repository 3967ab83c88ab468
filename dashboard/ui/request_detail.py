"""One request's page: its facts, timeline and, for managers, the workflow and fulfilment actions.

Each action carries the version the manager was looking at; if someone else changed the request
first, the service refuses, the page says so and shows the request as it now is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.auth.roles import AccessDenied, may
from dashboard.auth.service import Principal
from dashboard.fulfilment.access_package import AccessPackage, fulfil_access
from dashboard.fulfilment.correction import CORRECTABLE, fulfil_correction
from dashboard.fulfilment.erasure import ErasureIncomplete, fulfil_deletion
from dashboard.fulfilment.optout import fulfil_optout
from dashboard.privacy.presentation import FREE_TEXT, present
from dashboard.rules.request_workflow import (
    FULFILLED_BY_ACTION,
    STEP_LABELS,
    WORKABLE,
    RequestSituation,
    WorkflowError,
    allowed_targets,
    fulfilment_open,
)
from dashboard.services.request_intake import suggest_people
from dashboard.services.request_workflow import (
    ConcurrentUpdate,
    add_note,
    assign,
    change_status,
    confirm_person,
)
from dashboard.ui.clock import today
from dashboard.ui.person_lookup import render_person_lookup
from dashboard.ui.request_header import render_request_header, situation
from dashboard.ui.resources import read_session, write_session
from dashboard.ui.table_view import facts_table, show_table
from dashboard.ui.text import show_error, show_success
from data_access.models.enums import OPEN_REQUEST_STATUSES
from data_access.queries.requests import request_detail, request_timeline

FLASH = "request_flash"
PACKAGE = "request_package"
# a request's outcome is free text (a legal request's is a code); the other personal columns are named alike
# everywhere (privacy.presentation.PERSONAL_COLUMNS)
FACTS = {"outcome": FREE_TEXT}


def render_request_detail(principal: Principal, request_id: int) -> None:
    with read_session() as session:
        request = request_detail(session=session, request_id=request_id)
        timeline = request_timeline(session=session, request_id=request_id)
    if request is None:
        st.warning("No such request.")
        return
    if message := st.session_state.pop(FLASH, None):
        show_success(message)
    fulfilled = bool((timeline["kind"] == "fulfilment").any()) if "kind" in timeline.columns else False
    render_request_header(principal, request, fulfilled=fulfilled, today=today())
    with st.expander("All recorded fields"):
        show_table(facts_table(present(pd.DataFrame([request]), principal, columns=FACTS).iloc[0].to_dict()))
    st.caption("Timeline")
    show_table(present(timeline, principal))
    current = situation(request, fulfilled=fulfilled, today=today())
    if may(principal.role, "request.update"):
        _workflow_actions(principal, request, current)
    if may(principal.role, "request.fulfil") and request["status"] in WORKABLE:
        if fulfilment_open(current) or current.request_type not in FULFILLED_BY_ACTION:
            _fulfilment(principal, request)
        else:  # offered once, as the workflow rule says: an erased person is not erased again
            st.caption(
                "Fulfilment done (see the timeline): complete the request under Change status."
                if fulfilled
                else "Confirm the person first, then fulfil the request."
            )


def _workflow_actions(principal: Principal, request: dict[str, Any], current: RequestSituation) -> None:
    rid, version = int(request["id"]), int(request["version"])
    allowed = allowed_targets(current)
    with st.expander("Change status", expanded=bool(allowed)):
        if not allowed:
            st.caption(
                "The request is closed."
                if current.status not in OPEN_REQUEST_STATUSES
                else "No status change is possible yet: fulfil the request first."
            )
        else:  # no default: a status change cannot be undone, so the manager names it
            target = st.selectbox(
                "New status",
                allowed,
                index=None,
                key=f"status-{rid}",
                placeholder="choose the next status",
                format_func=lambda status: f"{status} · {STEP_LABELS[status]}",
            )
            reason = st.text_input("Reason or outcome (required to reject or extend)", key=f"reason-{rid}")
            if st.button("Apply", key=f"apply-{rid}"):
                if target is None:
                    st.warning("Choose the new status first; nothing was changed.")
                    return
                _act(
                    lambda s: change_status(
                        session=s,
                        principal=principal,
                        request_id=rid,
                        expected_version=version,
                        target=target,
                        reason=reason or None,
                    ),
                    f"{request['reference']} is now {target}.",
                )
    with st.expander("Assign, confirm the person, add a note"):
        who = st.text_input("Assignee", value=request["assignee"] or "", key=f"assignee-{rid}")
        if st.button("Assign", key=f"assign-{rid}"):
            _act(
                lambda s: assign(
                    session=s, principal=principal, request_id=rid, expected_version=version, assignee=who
                ),
                f"Assigned to {who or 'nobody'}.",
            )
        _confirm_person(principal, request)
        note = st.text_area("Note", key=f"note-{rid}")
        if st.button("Add note", key=f"add-note-{rid}"):
            _act(lambda s: add_note(session=s, principal=principal, request_id=rid, note=note), "Note added.")


def _confirm_person(principal: Principal, request: dict[str, Any]) -> None:
    """Suggested people (exact matches of the requester's email and phone) or, when none fits, the
    person search; the button says what to do rather than doing nothing when no one is chosen."""
    rid, version = int(request["id"]), int(request["version"])
    with read_session() as session:
        matches = suggest_people(
            session=session, values=[request["requester_email"], request["requester_phone"]]
        )
    options = [m.person_id for m in matches]
    if request["person_id"] is not None and request["person_id"] not in options:
        options.insert(0, int(request["person_id"]))
    labels = {m.person_id: f"{m.person_id} · {m.username} · {m.email}" for m in matches}
    suggested = None
    if options:
        suggested = st.selectbox(
            "Matched person",
            options,
            index=0,
            key=f"person-{rid}",
            format_func=lambda pid: labels.get(pid, str(pid)),
        )
    else:
        st.caption(
            "No person has the requester's email or phone. Search by name, email, phone, username or "
            "user id below."
        )
    found = render_person_lookup(
        principal,
        key=f"find-person-{rid}",
        label="Find a person" if not options else "Or find another person",
    )
    chosen = found if found is not None else suggested
    if found is not None:
        st.caption(f"Confirm person confirms the person found: user id {found}.")
    if st.button("Confirm person", key=f"confirm-{rid}"):
        if chosen is None:
            st.warning(
                "Choose a person first: search above by name, email, phone or user id. If no one "
                "matches, the request is about no customer we hold: answer it with that outcome."
            )
            return
        _act(
            lambda s: confirm_person(
                session=s,
                principal=principal,
                request_id=rid,
                expected_version=version,
                person_id=int(chosen),
            ),
            f"Person {chosen} confirmed.",
        )


def _fulfilment(principal: Principal, request: dict[str, Any]) -> None:
    rid, version, kind = int(request["id"]), int(request["version"]), request["type"]
    st.markdown("**Fulfilment**")
    if kind in ("access", "portability"):
        if st.button("Build the access package", type="primary", key=f"package-{rid}"):
            _act(
                lambda s: _keep_package(
                    rid,
                    fulfil_access(session=s, principal=principal, request_id=rid, expected_version=version),
                ),
                lambda filename: f"Built {filename}; download it below and send it to the requester.",
            )
        _stored_package(rid)
    elif kind == "deletion":
        sure = st.checkbox(
            "I have verified this request; erase the person's data (cannot be undone)", key=f"sure-{rid}"
        )
        if st.button("Erase", type="primary", disabled=not sure, key=f"erase-{rid}"):
            _act(
                lambda s: fulfil_deletion(
                    session=s, principal=principal, request_id=rid, expected_version=version
                ),
                lambda result: (
                    f"Erased; {result.retained_invoices} invoice(s) kept pseudonymised; the "
                    f"{result.scan_summary()}."
                ),
            )
    elif kind == "correction":
        table = st.selectbox("Record", list(CORRECTABLE), key=f"table-{rid}")
        field = st.selectbox("Field", list(CORRECTABLE[table or "contacts"][1]), key=f"field-{rid}")
        value = st.text_input("Corrected value", key=f"value-{rid}")
        if st.button("Correct", type="primary", key=f"correct-{rid}") and table and field:
            _act(
                lambda s: fulfil_correction(
                    session=s,
                    principal=principal,
                    request_id=rid,
                    expected_version=version,
                    table=table,
                    field=field,
                    new_value=value,
                ),
                f"{table}.{field} corrected; the old value is kept in its history.",
            )
    elif kind in ("opt-out-marketing", "opt-out-sale"):
        if st.button("Apply the suppression", type="primary", key=f"optout-{rid}"):
            _act(
                lambda s: fulfil_optout(
                    session=s, principal=principal, request_id=rid, expected_version=version
                ),
                "Suppression applied through the opt-out service.",
            )
    else:
        st.caption("Restriction and objection are answered by completing the request with its outcome.")


def _stored_package(rid: int) -> None:
    """The access package built in this session for this request, to download (it is not kept elsewhere)."""
    stored = st.session_state.get(PACKAGE)
    if stored and stored[0] == rid:
        st.download_button(
            f"Download {stored[1]}",
            data=stored[2],
            file_name=stored[1],
            mime="application/zip",
            key=f"download-package-{rid}",
        )
        st.caption(f"SHA-256 {stored[3]}")


def _keep_package(request_id: int, package: AccessPackage) -> str:
    st.session_state[PACKAGE] = (request_id, package.filename, package.content, package.sha256)
    return package.filename


def _act(action: Callable[[Any], Any], success: str | Callable[[Any], str]) -> None:
    """Run a service call in one transaction, then reload the request (its version changed) with a message;
    domain errors are shown to the manager and nothing is saved."""
    try:
        with write_session() as session:
            result = action(session)
    except ConcurrentUpdate as exc:
        show_error(exc, then="Nothing of yours was saved.")
        return
    except (WorkflowError, ErasureIncomplete, AccessDenied) as exc:
        show_error(exc)
        return
    st.session_state[FLASH] = success if isinstance(success, str) else success(result)
    st.rerun()
