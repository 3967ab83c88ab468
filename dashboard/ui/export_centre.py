"""The export centre: pick a period, build the PDF report, the workbook or the evidence package, download it.
Every build is written to the audit log; auditors get the masked view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import streamlit as st

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.exports.centre import export_evidence, export_pdf, export_workbook
from dashboard.rules.deadlines import deadline_settings
from dashboard.ui.clock import today
from dashboard.ui.resources import write_session
from dashboard.ui.text import show_error

BUILT = "export_built"


def render_export_centre(principal: Principal) -> None:
    day = today()
    left, right = st.columns(2)
    first = left.date_input(
        "From", value=(day.replace(day=1) - timedelta(days=1)).replace(day=1), format="YYYY-MM-DD"
    )
    last = right.date_input("To (included)", value=day, format="YYYY-MM-DD")
    if not isinstance(first, date) or not isinstance(last, date) or last < first:
        st.error("To: the end of the period must not come before its start.")
        return
    since = datetime.combine(first, datetime.min.time(), UTC)
    until = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC)
    tz, now = deadline_settings().controller_tz, datetime.now(UTC)
    stem = f"{first:%Y%m%d}-{last:%Y%m%d}"
    builders: list[tuple[str, str, str, Callable[..., bytes]]] = [
        (
            "PDF report",
            f"compliance-report-{stem}.pdf",
            "application/pdf",
            lambda s: export_pdf(session=s, principal=principal, since=since, until=until, now=now, tz=tz),
        ),
        (
            "XLSX workbook",
            f"registers-{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda s: export_workbook(
                session=s, principal=principal, since=since, until=until, tz=tz, now=now
            ),
        ),
        (
            "Evidence package",
            f"evidence-{stem}.zip",
            "application/zip",
            lambda s: (
                export_evidence(
                    session=s, principal=principal, since=since, until=until, now=now, tz=tz
                ).content
            ),
        ),
    ]
    for column, (label, filename, mime, build) in zip(st.columns(3), builders, strict=True):
        if column.button(f"Build {label}", key=f"build-{label}"):
            try:
                with st.spinner(f"Building the {label}..."), write_session() as session:
                    st.session_state[BUILT + label] = (filename, build(session))
            except AccessDenied as exc:
                show_error(exc)
        built = st.session_state.get(BUILT + label)
        if built:
            column.download_button(
                f"Download {built[0]}", data=built[1], file_name=built[0], mime=mime, key=f"download-{label}"
            )
    st.caption(
        "Reports read the data as of the end of the period: request statuses from their timelines, opt-out "
        "rates replayed from the preference history. The evidence package's SHA256SUMS verifies with "
        "`sha256sum -c SHA256SUMS`."
    )
