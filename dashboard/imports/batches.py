"""Import batches and their rejected rows: the record that nothing read was silently dropped."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.report import ImportReport
from data_access import import_rows
from data_access.models import ImportBatch, RejectedRow
from data_access.models.enums import BatchStatus
from data_access.types import utcnow

RAW_LIMIT = 500


def open_batch(*, session: Session, kind: str, source: str, digest: str, principal: Principal) -> ImportBatch:
    batch = ImportBatch(
        kind=kind,
        source_name=source[:500],
        source_sha256=digest,
        status=BatchStatus.RUNNING,
        created_by=principal.username,
    )
    import_rows.add_batch(session, batch)
    return batch


def close_batch(*, session: Session, batch: ImportBatch, report: ImportReport) -> None:
    """Write the counts and one rejected row per error; the caller's transaction commits them with
    the data."""
    batch.rows_read, batch.rows_stored = report.read, report.stored
    batch.rows_updated, batch.rows_unchanged = report.updated, report.unchanged
    batch.rows_rejected, batch.rows_duplicate = report.rejected, report.duplicates
    batch.status, batch.finished_at = BatchStatus.COMPLETED, utcnow()
    report.batch_id = batch.id
    import_rows.close_batch(
        session,
        batch,
        (
            RejectedRow(
                batch_id=batch.id,
                line_no=error.line,
                field=error.field,
                reason=error.reason,
                raw=error.raw[:RAW_LIMIT] if error.raw else None,
            )
            for error in report.errors
        ),
    )
