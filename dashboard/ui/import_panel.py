"""Upload a file, see its validation report (a dry run), then confirm to import: one panel for every
importer."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.auth.service import Principal
from dashboard.imports.report import FileRefused, ImportReport
from dashboard.ui.resources import read_session, write_session
from dashboard.ui.table_view import show_table
from dashboard.ui.text import show_error

Importer = Callable[..., ImportReport]


def render_import_panel(
    principal: Principal,
    *,
    key: str,
    label: str,
    importer: Importer,
    template: str,
    file_types: tuple[str, ...] = ("csv",),
) -> None:
    st.download_button(
        f"Download an empty template ({file_types[0].upper()})",
        data=template,
        file_name=f"{key}-template.{file_types[0]}",
        key=f"{key}-template",
    )
    upload = st.file_uploader(label, type=list(file_types), key=f"{key}-upload")
    if upload is None:
        return
    data = upload.getvalue()
    checked = _run(importer, principal, data, upload.name, dry_run=True)
    if checked is None:
        return
    _show(checked, dry_run=True)
    writes = checked.stored + checked.updated
    if not writes:
        st.info(
            "Nothing to import: every row is " + ("unchanged or " if checked.upserts else "") + "rejected."
        )
    elif st.button(f"Import {writes} row(s)", type="primary", key=f"{key}-confirm"):
        bar = st.progress(0.0, text=f"Importing {checked.read:,} rows in one transaction...")

        def advance(read: int) -> None:
            bar.progress(min(read / max(checked.read, 1), 1.0))

        done = _run(importer, principal, data, upload.name, dry_run=False, progress=advance)
        bar.progress(1.0, text="Done.")
        if done is not None:
            st.success(f"Imported as batch {done.batch_id}.")
            _show(done, dry_run=False)


def _run(
    importer: Importer,
    principal: Principal,
    data: bytes,
    name: str,
    *,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportReport | None:
    try:
        with read_session() if dry_run else write_session() as session:
            return _call(importer, session, principal, data, name, dry_run, progress)
    except (FileRefused, AccessDenied) as exc:
        show_error(exc)
        return None


def _call(
    importer: Importer,
    session: Session,
    principal: Principal,
    data: bytes,
    name: str,
    dry_run: bool,
    progress: Callable[[int], None] | None,
) -> ImportReport:
    """Importers that can report progress get the callback; the others run without it."""
    extra = (
        {"progress": progress} if progress and "progress" in inspect.signature(importer).parameters else {}
    )
    return importer(session=session, principal=principal, data=data, source=name, dry_run=dry_run, **extra)


def _show(report: ImportReport, *, dry_run: bool) -> None:
    figures = [
        ("Rows read", report.read),
        ("Would be stored" if dry_run else "Stored", report.stored),
        *([("Would be updated" if dry_run else "Updated", report.updated)] if report.can_update else []),
        *([("Unchanged", report.unchanged)] if report.upserts else []),
        ("Rejected", report.rejected),
        ("Of which duplicates", report.duplicates),
    ]
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, f"{value:,}")
    if report.errors_unlisted:
        st.caption(
            f"The first {len(report.errors):,} rejected rows are listed (and kept with the batch); "
            f"{report.errors_unlisted:,} more were rejected and are counted above."
        )
    if report.errors:
        show_table(
            pd.DataFrame([{"line": e.line, "field": e.field, "reason": e.reason} for e in report.errors])
        )
