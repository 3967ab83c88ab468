"""Audit and reports: the tamper-evident audit log with its chain check, and the export centre."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard.audit.log import record, verify
from dashboard.audit.typed_values import withhold_typed_values
from dashboard.ui.clock import today
from dashboard.ui.components import data_table
from dashboard.ui.export_centre import render_export_centre
from dashboard.ui.guard import require_role
from dashboard.ui.resources import read_session, write_session
from dashboard.ui.tabs import page_tabs
from data_access.queries.admin import audit_actions, audit_search

principal = require_role("audit")
st.title("Audit and reports")
log_tab, export_tab = page_tabs(["Audit log", "Export centre"], key="audit-tab")
if log_tab.open:
    with log_tab:
        with read_session() as session:
            actions = audit_actions(session=session)
        left, middle, right = st.columns(3)
        actor = left.text_input("Actor (exact)")
        action = middle.selectbox(
            "Action",
            ["", *sorted({a.split(".")[0] + "." for a in actions}), *actions],
            format_func=lambda a: a or "any",
        )
        days = right.selectbox(
            "Period", [1, 7, 30, 365, 3650], index=2, format_func=lambda d: f"last {d} days"
        )
        since = datetime.combine(today() - timedelta(days=days - 1), datetime.min.time(), UTC)
        with read_session() as session:
            entries = withhold_typed_values(
                audit_search(session=session, actor=actor.strip() or None, action=action or None, since=since)
            )
        data_table(entries, principal=principal, name="audit-log")
        if st.button("Verify the whole chain"):
            with read_session() as session:
                verdict = verify(session=session)
            with write_session() as session:
                record(
                    session=session,
                    actor=principal.username,
                    role=principal.role,
                    action="audit.verify",
                    details={"ok": verdict.ok, "checked": verdict.checked},
                )
            if verdict.ok:
                st.success(
                    f"Intact: {verdict.checked:,} entries, each linked to the one before; head "
                    f"{verdict.head_hash}."
                )
            else:
                where = f"entry {verdict.first_bad_id}" if verdict.first_bad_id is not None else "the head"
                st.error(f"Broken at {where}: {verdict.reason}")
if export_tab.open:
    with export_tab:
        render_export_centre(principal)
