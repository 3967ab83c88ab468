"""`compliance sync --source URL --mapping FILE`: people from the billing platform's database,
incrementally."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dashboard.cli.operator import cli_principal, command_session
from dashboard.imports.sync import load_mapping, sync_people
from dashboard.rules.field_error import FieldError


def sync(
    source: str = typer.Option(..., help="SQLAlchemy URL of the billing platform's database (read only)."),
    mapping: Path = typer.Option(
        ..., exists=True, dir_okay=False, help="YAML mapping of its tables to ours."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Read people changed since the last run; create the new ones, update the others."""
    try:
        spec = load_mapping(mapping)
        with command_session() as session:
            report = sync_people(session=session, principal=cli_principal(), source_url=source, mapping=spec)
    except FieldError as exc:  # the mapping, or a source row, naming the field
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    counts = {
        "read": report.read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "erased": report.erased,
        "high_water": report.high_water.isoformat() if report.high_water else None,
    }
    if not as_json:
        for skipped in report.skipped:
            typer.echo(skipped, err=True)
    typer.echo(
        json.dumps(counts)
        if as_json
        else f"read {report.read}, created {report.created}, updated {report.updated}, unchanged "
        f"{report.unchanged}, erased (not re-created) {report.erased}; next run starts after "
        f"{counts['high_water']}"
    )
