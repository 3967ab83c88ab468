"""`compliance import KIND FILE [--dry-run] [--json]` and `compliance import KIND --template`."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.orm import Session

from dashboard.cli.import_run import run_import
from dashboard.cli.operator import cli_principal
from dashboard.imports.columns import template as template_of
from dashboard.imports.kinds import KINDS
from dashboard.imports.report import ImportReport
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
    source = file

    def load(session: Session) -> ImportReport:
        with source.open("rb") as stream:  # read as it goes, never whole
            return import_file(
                session=session,
                principal=cli_principal(),
                kind=spec,
                data=stream,
                source=str(source),
                dry_run=dry_run,
            )

    run_import(load, as_json=as_json)
