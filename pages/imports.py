"""Import: upload a file of any kind, see its validation report, confirm; the history of batches and their
rejected rows."""

from functools import partial

import streamlit as st

from dashboard.auth.roles import may
from dashboard.imports.columns import template
from dashboard.imports.kinds import KINDS
from dashboard.imports.report import ERRORS_KEPT
from dashboard.imports.runner import import_file
from dashboard.privacy.presentation import QUOTING_MESSAGE
from dashboard.ui.components import data_table
from dashboard.ui.guard import require_role
from dashboard.ui.import_panel import render_import_panel
from dashboard.ui.resources import cached_query
from dashboard.ui.tabs import page_tabs
from data_access.queries.admin import import_batches, rejected_rows

principal = require_role("imports")
st.title("Import")
*upload_tab, history_tab = page_tabs(
    [*(["Import a file"] if may(principal.role, "import.run") else []), "Batches"], key="imports-tab"
)
if upload_tab and upload_tab[0].open:
    with upload_tab[0]:
        kind = st.selectbox(
            "Kind of file", list(KINDS), format_func=lambda k: f"{k} — {KINDS[k].description}"
        )
        if kind is not None:
            spec = KINDS[kind]
            st.caption(
                "Columns: "
                + ", ".join(f"{c.name}{'*' if c.required else ''} ({c.kind})" for c in spec.columns)
                + ". * required. Times need a UTC offset; lists are ;-separated. CSV or JSON lines."
            )
            render_import_panel(
                principal,
                key=f"import-{kind}",
                label=f"{kind} file",
                importer=partial(import_file, kind=spec),
                template=template(spec.columns),
                file_types=("csv", "jsonl"),
            )
if history_tab.open:
    with history_tab:
        batches = cached_query(import_batches)
        data_table(batches, principal=principal, name="import-batches")
        with_rejections = batches[batches["rows_rejected"] > 0]
        if not with_rejections.empty:
            chosen = st.selectbox(
                "Rejected rows of batch",
                list(with_rejections["id"]),
                format_func=lambda b: f"{b} · {batches.set_index('id').loc[b, 'source_name']}",
            )
            if chosen is not None:
                st.caption(
                    f"An import keeps its first {ERRORS_KEPT:,} rejected rows with their reasons; "
                    "rows_rejected counts them all."
                )
                data_table(
                    cached_query(rejected_rows, batch_id=int(chosen)),
                    principal=principal,
                    name=f"rejected-rows-{chosen}",
                    pii_columns={"reason": QUOTING_MESSAGE},
                )
