"""`compliance demo`: load deterministic demo data into an empty database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import typer

from dashboard.checks.overview_trends import keep_month_end_verdicts
from dashboard.demo.generate import DatabaseNotEmpty, database_is_empty, load_demo
from dashboard.rules.deadlines import deadline_settings
from dashboard.settings import get_settings
from data_access.db import database_url, describe_url, make_engine, session_factory, transaction


def demo(
    users: int = typer.Option(2000, min=10, help="Number of people."),
    days: int = typer.Option(180, min=30, help="Days of history ending now."),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same data."),
    end: datetime | None = typer.Option(None, help="End of the data (ISO, UTC); default: the current hour."),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing (exit 0) when the database holds data."
    ),
    clean: bool = typer.Option(False, "--clean", help="Plant no violation: every policy check passes."),
) -> None:
    """Fill every entity with realistic demo data, including planted policy violations (unless --clean)."""
    if get_settings().is_production:
        typer.echo(
            "error: COMPLIANCE_ENV=production: demo data and demo accounts are never loaded there", err=True
        )
        raise typer.Exit(2)
    engine = make_engine(database_url())
    if if_empty:
        with session_factory(engine)() as session:
            if not database_is_empty(session):
                typer.echo(f"{describe_url(database_url())} already holds data; demo not loaded")
                return
    try:
        summary = load_demo(
            engine,
            users=users,
            days=days,
            seed=seed,
            clean=clean,
            end=end.replace(tzinfo=UTC) if end and end.tzinfo is None else end,
        )
        with transaction(engine) as session:  # the Overview's trend of checks passing, month by month
            last = end.replace(tzinfo=UTC) if end and end.tzinfo is None else (end or datetime.now(UTC))
            keep_month_end_verdicts(
                session=session,
                first=(last - timedelta(days=days)).date(),
                end=last,
                tz=deadline_settings().controller_tz,
            )
    except DatabaseNotEmpty as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()
    total = sum(summary.counts.values())
    typer.echo(f"loaded {total} rows into {describe_url(database_url())} in {summary.seconds:.1f} s")
    for table, count in summary.counts.items():
        typer.echo(f"  {table:28} {count:>10}")


def demo_bulk(
    users: int = typer.Option(1_000_000, min=1000, help="Number of people."),
    log_lines: int = typer.Option(20_000_000, help="Approximate access-log lines."),
    events: int = typer.Option(5_000_000, help="Approximate product usage events."),
    days: int = typer.Option(365, min=30, help="Days of history ending now."),
    seed: int = typer.Option(7, help="Random seed."),
) -> None:
    """Stream a large dataset (default 1M people, 20M log lines, 5M events) into an empty database."""
    from dashboard.demo.bulk import load_bulk

    engine = make_engine(database_url())
    try:
        summary = load_bulk(engine, users=users, log_lines=log_lines, events=events, days=days, seed=seed)
    except DatabaseNotEmpty as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()
    for table, count in summary.counts.items():
        typer.echo(f"  {table:28} {count:>12,}")
    typer.echo("  " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.seconds.items()))
