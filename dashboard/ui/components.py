"""Reusable UI pieces: KPI rows and tables that mask or withhold personal data by role."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.exports.safe_cells import to_safe_csv
from dashboard.exports.workbook import build_workbook
from dashboard.privacy.presentation import MIN_GROUP_SIZE, WITHHELD, present
from dashboard.ui.resources import write_session
from dashboard.ui.table_view import show_table


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    help: str | None = None


def kpi_row(kpis: Sequence[Kpi]) -> None:
    for column, kpi in zip(st.columns(len(kpis)), kpis, strict=True):
        column.metric(kpi.label, kpi.value, help=kpi.help)


# The most rows a table sends the page: the first of a list sorted most urgent or newest first. The
# rest are in its CSV download, which has every row: nobody scrolls through ten thousand rows, and
# formatting them for the screen took the page longer than the query at 1M people.
TABLE_ROWS = 1_000

SUPPRESSED_NOTE = (
    f"A count of 1 to {MIN_GROUP_SIZE - 1} people shows as {WITHHELD}, so that no one can be singled out; "
    "0 is shown."
)


def data_table(
    df: pd.DataFrame,
    *,
    principal: Principal,
    name: str,
    pii_columns: Mapping[str, str | None] | None = None,
    height: int | None = None,
    count_columns: Sequence[str] = (),
    on_row: Callable[[int], None] | None = None,
) -> None:
    """A table with a CSV download of exactly what the table shows (privacy.presentation decides what the role
    sees: `pii_columns` adds this table's own personal columns, `count_columns` its counts of people); the
    download is formula-safe and written to the audit log.

    On screen the columns read as presentation.columns names them (labels, units, codes by name,
    dates in UTC); the CSV keeps the column keys and raw values (ratios as fractions, durations in
    ms) for whoever recomputes them. The CSV is written when someone clicks (Streamlit calls
    `data`), not on every run of the page for every table on it.

    With `on_row`, clicking a row (its selection box or any of its cells) calls `on_row` with the
    row's position in `df`, before the page runs again. Otherwise the browser is sent the rows in
    view and fetches the rest as the user scrolls (lazy; up to 1,000 rows are sent at once anyway):
    what a page makes the browser wait for grows with the rows it shows, not with the rows behind
    them. At most TABLE_ROWS rows are shown, with a caption saying how many there are; the download
    has them all.
    """
    shown = present(df, principal, columns=pii_columns, counts=count_columns)
    on_screen = shown.head(TABLE_ROWS)
    if on_row is None:
        show_table(on_screen, height=height, lazy=True)
    else:
        key = f"table-{name}"
        show_table(
            on_screen,
            height=height,
            key=key,
            on_select=partial(_row_clicked, key, on_row),
            selection_mode=["single-row", "single-cell"],
        )
    if len(shown) > TABLE_ROWS:
        st.caption(
            f"The first {TABLE_ROWS:,} of {len(shown):,} rows are shown; the CSV download has them all."
        )
    if df.attrs.get("suppressed") or shown.attrs.get("suppressed"):  # present(counts=) withheld one
        st.caption(SUPPRESSED_NOTE)
    st.download_button(
        f"Download {name} (CSV)",
        data=partial(to_safe_csv, shown),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download-{name}",
        on_click=_audit_download,
        args=(principal, name, len(shown)),
    )


def _row_clicked(key: str, on_row: Callable[[int], None]) -> None:
    selection = st.session_state[key]["selection"]
    rows = list(selection.get("rows", [])) or [cell[0] for cell in selection.get("cells", [])]
    if rows:
        on_row(int(rows[0]))


def _audit_download(principal: Principal, name: str, rows: int) -> None:
    with write_session() as session:
        record(
            session=session,
            actor=principal.username,
            role=principal.role,
            action="export.csv",
            object_type="table",
            object_id=name,
            details={"rows": rows},
        )


def xlsx_download(frames: Mapping[str, pd.DataFrame], *, principal: Principal, name: str) -> None:
    """The same tables as an XLSX workbook (formula-safe), audited like the CSV downloads."""
    shown = {sheet: present(frame, principal) for sheet, frame in frames.items()}
    st.download_button(
        f"Download {name} (XLSX)",
        data=partial(build_workbook, dict(shown)),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"download-xlsx-{name}",
        on_click=_audit_download,
        args=(principal, f"{name}.xlsx", sum(len(f) for f in shown.values())),
    )


def link_to_page(container: Any, script: str, label: str, icon: str | None = None) -> None:
    """A link to another page of the app; when the page was run on its own (no router, as in
    Streamlit's direct pages/ discovery or a test), the page's name as plain text instead of an
    error."""
    try:
        container.page_link(script, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        container.caption(label)
