"""`compliance retention purge`: remove what is past its retention (dashboard.fulfilment.retention,
docs/retention.md).

Exit 0 when done (or nothing to do), 1 when an account's erasure scan still found one of its values (that
category was rolled back; those before it stay purged), 2 on bad options. --json prints
{"as_of", "dry_run", "passed", "categories": [{category, action, cutoff, records, partitions, rows,
seconds}], "error"}.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import typer

from dashboard.cli.operator import cli_principal, exit_when_busy
from dashboard.fulfilment.erasure import ErasureIncomplete
from dashboard.fulfilment.retention import CategoryPurge, purge
from data_access.db import database_url, make_engine

app = typer.Typer(help="Retention: records kept no longer than the data map states.", no_args_is_help=True)


@app.command("purge")
def purge_command(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would be removed; change nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts per category as JSON."),
    as_of: datetime | None = typer.Option(
        None, help="Judge retention as of this time (ISO, UTC; default now)."
    ),
) -> None:
    """Delete or pseudonymise every record past its retention, category by category, in batches, audited."""
    now = (as_of.replace(tzinfo=UTC) if as_of and as_of.tzinfo is None else as_of) or datetime.now(UTC)
    engine = make_engine(database_url())
    done: list[CategoryPurge] = []

    def say(result: CategoryPurge) -> None:
        done.append(result)
        if not as_json:
            extra = f" ({len(result.partitions)} partition(s) dropped)" if result.partitions else ""
            typer.echo(
                f"{result.category:22} {result.action:12} {result.records:>9} record(s) before "
                f"{result.cutoff:%Y-%m-%d}{extra}  {result.seconds:.2f} s"
            )

    error = None
    try:
        with exit_when_busy():
            purge(engine=engine, principal=cli_principal(), now=now, dry_run=dry_run, progress=say)
    except ErasureIncomplete as exc:
        error = str(exc)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "as_of": now.isoformat(),
                    "dry_run": dry_run,
                    "passed": error is None,
                    "categories": [r.to_json_dict() for r in done],
                    "error": error,
                },
                indent=2,
            )
        )
    elif error:
        typer.echo(f"error: accounts: {error}", err=True)
    elif not done:
        typer.echo("nothing past its retention")
    if error:
        raise typer.Exit(1)
