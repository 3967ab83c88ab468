"""Run an import of any kind: validate every row, write the valid ones, record the rest; one transaction.

Each row is written inside a savepoint, so a row the domain service refuses (a sharing the policy forbids,
a request with an impossible regime) is rejected with its reason while the others go in. A dry run reads the
same rows through the same checks (each kind's `check`, the services' own rules) but writes nothing, not even
its batch: it takes no write lock (SQLite) and waits for no import (PostgreSQL), so it answers while another
import runs, and what it says would happen is what a real run does. What it cannot foresee is a database
constraint outside the rules (say, a username already taken), which stops the real run before
anything is kept.

A row whose natural key is stored is a duplicate, rejected, unless its kind upserts (`ImportKind.upsert`,
people by user id): then it is `unchanged` when its values are the stored ones, and `updated` otherwise, the
record changed with its field history and audit; a dry run counts what it would update. A rejection whose
exception says `withhold_raw` (an erased person's row) keeps no copy of the line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from dashboard.audit.log import record
from dashboard.auth.roles import AccessDenied, require
from dashboard.auth.service import Principal
from dashboard.imports.batches import close_batch, open_batch
from dashboard.imports.columns import CellInvalid, parse_row, read_rows
from dashboard.imports.csv_source import Source, sha256_of
from dashboard.imports.kinds import ImportKind
from dashboard.imports.report import ImportReport, RowError
from data_access.locks import hold_import_lock
from data_access.models import ImportBatch
from data_access.rows import savepoint
from data_access.seen_keys import SeenKeys

# What refuses one row: the domain errors (FieldError, naming the field) and other ValueErrors. A KeyError or
# other bug is not a row's fault and stops the import.
REFUSALS = (ValueError,)
PROGRESS_EVERY = 100


def import_file(
    *,
    session: Session,
    principal: Principal,
    kind: ImportKind,
    data: Source,
    source: str,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """`data`: the bytes of an upload or an open file (read as a stream, never whole). `progress` is told the
    number of rows read so far, every PROGRESS_EVERY rows."""
    require(principal.role, "import.run")
    report = ImportReport(
        source=source, dry_run=dry_run, can_update=kind.upsert is not None, upserts=kind.upsert is not None
    )
    batch: ImportBatch | None = None
    if not dry_run:
        hold_import_lock(session)  # one import at a time; DatabaseBusy at once if another runs
        batch = open_batch(
            session=session, kind=kind.name, source=source, digest=sha256_of(data), principal=principal
        )
    seen = SeenKeys()  # bounded memory: spills to a temporary file past SeenKeys.in_memory keys
    try:
        _read_all(session, principal, kind, data, source, report, batch, seen, progress)
    finally:
        seen.close()
    if batch is None:
        return report
    close_batch(session=session, batch=batch, report=report)
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action=f"import.{kind.name}",
        object_type="import_batch",
        object_id=batch.id,
        details=report.counts(),
    )
    return report


def _read_all(
    session: Session,
    principal: Principal,
    kind: ImportKind,
    data: Source,
    source: str,
    report: ImportReport,
    batch: ImportBatch | None,
    seen: SeenKeys,
    progress: Callable[[int], None] | None,
) -> None:
    """Every row checked, and written when `batch` is given; each refused row recorded on the report."""
    for row in read_rows(data, source, kind.columns):
        report.read += 1
        if progress is not None and report.read % PROGRESS_EVERY == 0:
            progress(report.read)
        try:
            values = parse_row(session, row, kind.columns)
            key = kind.key(values)
            values["__key"] = key
            earlier = seen.line_of(key)
            stored = earlier is None and kind.stored(session, values)
            if earlier is not None or (stored and kind.upsert is None):
                report.duplicates += 1
                where = f"line {earlier}" if earlier is not None else "an earlier import"
                raise CellInvalid(kind.columns[0].name, f"duplicate of {where}: already stored")
            if stored:
                _upsert(session, principal, kind, values, report, batch)
            elif batch is None:
                kind.check(session, values)
            else:
                _write(session, principal, kind, values, key, batch.id)
        except AccessDenied:
            raise
        except (CellInvalid, *REFUSALS) as exc:
            raw = None if getattr(exc, "withhold_raw", False) else row.raw[:500]
            report.reject(RowError(source, row.line, _field(exc), str(exc), raw))
            continue
        seen.add(key, row.line)
        report.stored += 0 if stored else 1


def _write(
    session: Session, principal: Principal, kind: ImportKind, values: dict[str, Any], key: str, batch_id: int
) -> None:
    with savepoint(session):
        kind.write(session, principal, values, key, batch_id)


def _upsert(
    session: Session,
    principal: Principal,
    kind: ImportKind,
    values: dict[str, Any],
    report: ImportReport,
    batch: ImportBatch | None,
) -> None:
    """A stored key: unchanged, or updated (a dry run only counts what it would update)."""
    assert kind.upsert is not None
    changes = kind.upsert.changes(session, values)
    if changes and batch is not None:
        with savepoint(session):
            kind.upsert.apply(session, principal, values, changes, batch.id)
    if changes:
        report.updated += 1
    else:
        report.unchanged += 1


def _field(exc: BaseException) -> str | None:
    field = getattr(exc, "field", None)
    if field:
        return str(field)
    name, sep, _ = str(exc).partition(":")
    return name if sep and " " not in name else None
