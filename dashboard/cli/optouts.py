"""`compliance optouts report`, `import` and `honour`: the Communications page's figures, suppression-list
import and "Mark suppression applied", from the command line."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from dashboard.cli.import_run import run_import
from dashboard.cli.operator import cli_principal, command_session
from dashboard.imports.suppression import TEMPLATE, import_suppression_list
from dashboard.rules.deadlines import DeadlineError, deadline_settings, parse_received
from dashboard.rules.field_error import FieldError
from dashboard.services.optout_lifecycle import mark_suppression_applied
from dashboard.services.optout_report import OptOutReport, build_optout_report, parse_month


def report(
    month: str = typer.Option(..., help="The month, as YYYY-MM."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the month's opt-out figures: rates and flow per channel, honour times, violations."""
    try:
        first = parse_month(month)
    except DeadlineError as exc:
        typer.echo(f"error: --{exc.field}: {exc}", err=True)
        raise typer.Exit(2) from exc
    with command_session(write=False) as session:
        built = build_optout_report(
            session=session,
            first=first,
            last=first,
            now=datetime.now(UTC),
            tz=deadline_settings().controller_tz,
        )
    figures = month_figures(built)
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    _print_table(figures)


def import_suppression(
    file: Path | None = typer.Argument(None, help="CSV suppression list.", exists=True, dir_okay=False),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
    template: bool = typer.Option(False, "--template", help="Print an empty CSV with the expected columns."),
) -> None:
    """Import a suppression list: every row stored or rejected with its line and field; re-import is a no-op."""  # noqa: E501 - Typer lists it on one line
    if template or file is None:
        typer.echo(TEMPLATE, nl=False)
        return
    data = file.read_bytes()
    run_import(
        lambda session: import_suppression_list(
            session=session, principal=cli_principal(), data=data, source=str(file), dry_run=dry_run
        ),
        as_json=as_json,
    )


def honour(
    opt_out: int = typer.Argument(..., help="The opt-out's id (the Opt-outs page lists the pending ones)."),
    at: str = typer.Option(
        ...,
        help="When the suppression was applied (ISO 8601; without offset: controller's "
        "zone); not before receipt, not in the future.",
    ),
) -> None:
    """Mark an opt-out's suppression applied: its honour time, recomputed deadline and outcome, as JSON."""
    try:
        applied = parse_received(at, deadline_settings().controller_tz)
        with command_session() as session:
            event = mark_suppression_applied(
                session=session, principal=cli_principal(), opt_out_id=opt_out, at=applied
            )
            body = {
                "opt_out": event.id,
                "honoured_at": applied.isoformat(),
                "honour_by": event.honour_by.isoformat() if event.honour_by else None,
            }
    except FieldError as exc:
        option = {"received": "--at", "honoured_at": "--at", "opt_out": "OPT_OUT"}.get(exc.field, exc.field)
        typer.echo(f"error: {option}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(body))


def month_figures(built: OptOutReport) -> dict[str, Any]:
    """The report's figures for its (single) month as plain JSON values."""
    rates = built.rates[built.rates["month"] == built.period.months[-1]]
    honour = built.honour_by_rule
    return {
        "month": built.period.months[-1],
        "channels": {
            row["channel"]: {
                "reachable": int(row["reachable"]),
                "opted_out": int(row["opted_out"]),
                "opt_out_rate": _num(row["opt_out_rate"]),
                "new_opt_outs": int(row["new_opt_outs"]),
                "opt_out_flow": _num(row["opt_out_flow"]),
            }
            for row in rates.to_dict(orient="records")
        },
        "honour": {
            row["optout_rule"]: {
                "basis": row["basis"],
                "on_time": int(row["on_time"]),
                "late": int(row["late"]),
                "overdue": int(row["overdue"]),
                "pending": int(row["pending"]),
                "share_on_time": _num(row["share_on_time"]),
            }
            for row in honour.to_dict(orient="records")
        },
        "median_honour_hours": _num(built.median_honour_hours),
        "violations": built.violation_count,
        "messages_within_legal_limit": built.within_limit_messages,
        "gpc_signals": int(built.gpc["signals"].sum()) if not built.gpc.empty else 0,
    }


def _num(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _print_table(figures: dict[str, Any]) -> None:
    typer.echo(f"Opt-outs, {figures['month']}")
    typer.echo(f"{'channel':8} {'reachable':>10} {'opted out':>10} {'rate':>7} {'new':>6} {'flow':>7}")
    for channel, row in figures["channels"].items():
        typer.echo(
            f"{channel:8} {row['reachable']:>10} {row['opted_out']:>10} {_pct(row['opt_out_rate']):>7} "
            f"{row['new_opt_outs']:>6} {_pct(row['opt_out_flow']):>7}"
        )
    typer.echo(
        f"{'rule':15} {'basis':16} {'on time':>8} {'late':>5} {'overdue':>8} {'pending':>8} {'share':>7}"
    )
    for rule, row in figures["honour"].items():
        typer.echo(
            f"{rule:15} {row['basis']:16} {row['on_time']:>8} {row['late']:>5} {row['overdue']:>8} "
            f"{row['pending']:>8} {_pct(row['share_on_time']):>7}"
        )
    median = figures["median_honour_hours"]
    typer.echo(
        f"median honour time: {'-' if median is None else f'{median:.1f} h'}; "
        f"violations: {figures['violations']}; within legal limit: {figures['messages_within_legal_limit']}; "
        f"GPC signals: {figures['gpc_signals']}"
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"
