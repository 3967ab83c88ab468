"""The one way a CLI import command runs and reports: one transaction, exit 2 when the file is refused, the
counts as JSON or as a line, every rejected row (its line and field) on stderr."""

from __future__ import annotations

import json
from collections.abc import Callable

import typer
from sqlalchemy.orm import Session

from dashboard.cli.operator import command_session
from dashboard.imports.report import FileRefused, ImportReport


def run_import(load: Callable[[Session], ImportReport], *, as_json: bool) -> None:
    """Run `load` in one transaction and report it; a refused file stores nothing and exits 2."""
    try:
        with command_session() as session:
            report = load(session)
    except FileRefused as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(report.counts()))
        return
    for error in report.errors:
        typer.echo(str(error), err=True)
    if report.errors_unlisted:
        typer.echo(
            f"... and {report.errors_unlisted:,} more rejected rows (the first {len(report.errors):,} are "
            "listed and kept)",
            err=True,
        )
    typer.echo(summary(report))


def summary(report: ImportReport) -> str:
    """'read 3, stored 2, [updated 0, unchanged 1,] rejected 1 (of which 0 duplicates)[, batch 7]'."""
    dry = report.dry_run
    figures = [
        f"read {report.read}",
        f"{'would store' if dry else 'stored'} {report.stored}",
        *([f"{'would update' if dry else 'updated'} {report.updated}"] if report.can_update else []),
        *([f"unchanged {report.unchanged}"] if report.upserts else []),
        f"rejected {report.rejected} (of which {report.duplicates} duplicates)",
    ]
    return ", ".join(figures) + (f", batch {report.batch_id}" if report.batch_id else "")
