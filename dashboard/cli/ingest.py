"""`compliance ingest access-log FILE...` and `compliance ingest events FILE...`.

Prints read / stored / rejected / duplicates (or `--json`), shows progress on stderr, and exits non-zero
only when a file cannot be read (1) or the database is busy (75); bad lines are rejected and recorded, never
fatal. One transaction per file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from dashboard.cli.operator import cli_principal, exit_when_busy
from dashboard.imports.activity import ingest_access_log, ingest_events
from dashboard.imports.report import ImportReport
from dashboard.ingest.access_log_parser import SourceReadError
from dashboard.ingest.event_parser import EventFileError
from data_access.db import database_url, make_engine, transaction

app = typer.Typer(help="Read access logs and product events into the database.", no_args_is_help=True)
FILES = typer.Argument(..., help="Files to read (plain or gzip).")
JSON = typer.Option(False, "--json", help='Print {"read", "stored", "rejected", "duplicates"} as JSON.')


@app.command("access-log")
def access_log(files: list[Path] = FILES, as_json: bool = JSON) -> None:
    """Apache/Nginx Combined or Common Log Format; gzip detected by content."""
    _run(files, ingest_access_log, as_json)


@app.command("events")
def events(files: list[Path] = FILES, as_json: bool = JSON) -> None:
    """Product usage events, CSV or JSON lines (ts, user_ref, session_id, feature, action, duration_ms)."""
    _run(files, ingest_events, as_json)


def _run(files: list[Path], ingest: Callable[..., ImportReport], as_json: bool) -> None:
    totals = {"read": 0, "stored": 0, "rejected": 0, "duplicates": 0}
    failed = False
    engine = make_engine(database_url())
    try:
        for path in files:
            try:
                with exit_when_busy():  # the files before this one are stored; this one and the rest are not
                    report = _one_file(engine, path, ingest)
            except (SourceReadError, EventFileError, OSError) as exc:
                typer.echo(f"error: {path}: {exc}", err=True)
                failed = True
                continue
            for key, value in report.counts().items():
                totals[key] += value
            if not as_json:
                typer.echo(
                    f"{path}: read {report.read:,}, stored {report.stored:,}, rejected {report.rejected:,} "
                    f"(of which {report.duplicates:,} already stored), batch {report.batch_id}"
                )
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(totals))
    if failed:
        raise typer.Exit(1)


def _one_file(engine: Engine, path: Path, ingest: Callable[..., ImportReport]) -> ImportReport:
    """One file in one transaction, with a line counter on stderr when it is a terminal."""
    console = Console(stderr=True)
    # Redrawn per chunk, not by rich's refresh thread: with a second thread alive, ingest would not fork its
    # parsing workers (dashboard/imports/worker_pool.py).
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
        auto_refresh=False,
    ) as progress:
        task = progress.add_task(f"{path.name}: 0 lines", total=None)
        seen = 0

        def advance(lines: int) -> None:
            nonlocal seen
            seen += lines
            progress.update(task, description=f"{path.name}: {seen:,} lines", refresh=True)

        with transaction(engine) as session:
            return ingest(session=session, principal=cli_principal(), path=path, progress=advance)
