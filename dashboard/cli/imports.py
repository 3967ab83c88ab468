"""`compliance import KIND FILE [--dry-run] [--json]` and `compliance import KIND --template`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dashboard.cli.operator import cli_principal, command_session
from dashboard.imports.columns import template as template_of
from dashboard.imports.kinds import KINDS
from dashboard.imports.report import FileRefused
from dashboard.imports.runner import import_file


def import_command(
    kind: str = typer.Argument(..., help="One of: " + ", ".join(KINDS)),
    file: Path | None = typer.Argument(None, exists=True, dir_okay=False, help="CSV or JSON lines."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
    template: bool = typer.Option(False, "--template", help="Print an empty CSV with the columns of KIND."),
) -> None:
    """Import one file of KIND: every row stored, updated, unchanged or rejected with line and field; a known
    person (by user id) with changed values is updated with field history; re-import changes nothing."""
    spec = KINDS.get(kind)
    if spec is None:
        typer.echo(f"error: KIND: {kind!r} is not one of {', '.join(KINDS)}", err=True)
        raise typer.Exit(2)
    if template or file is None:
        typer.echo(template_of(spec.columns), nl=False)
        return
    try:
        with command_session() as session, file.open("rb") as stream:  # read as it goes, never whole
            report = import_file(session=session, principal=cli_principal(), kind=spec, data=stream,
                                 source=str(file), dry_run=dry_run)
    except FileRefused as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(report.counts()))
        return
    for error in report.errors:
        typer.echo(str(error), err=True)
    if report.errors_unlisted:
        typer.echo(f"... and {report.errors_unlisted:,} more rejected rows (the first {len(report.errors):,} are "
                   "listed and kept)", err=True)
    figures = [f"read {report.read}", f"{'would store' if dry_run else 'stored'} {report.stored}",
               *([f"{'would update' if dry_run else 'updated'} {report.updated}"] if report.can_update else []),
               *([f"unchanged {report.unchanged}"] if report.upserts else []),
               f"rejected {report.rejected} (of which {report.duplicates} duplicates)"]
    typer.echo(", ".join(figures) + (f", batch {report.batch_id}" if report.batch_id else ""))
