"""`compliance requests due` and `compliance optouts deadline`: the deadline module as JSON.

Output shapes are exactly those of docs/legal-rules.md; errors name the bad option.
"""

from __future__ import annotations

import json

import typer

from dashboard.rules.deadlines import (
    DeadlineError,
    deadline_settings,
    optout_deadline,
    parse_paused,
    parse_received,
    request_deadlines,
)

requests_app = typer.Typer(help="Data subject requests.", no_args_is_help=True)
optouts_app = typer.Typer(help="Marketing opt-outs.", no_args_is_help=True)


def _fail(exc: DeadlineError) -> None:
    typer.echo(f"error: --{exc.field}: {exc}", err=True)
    raise typer.Exit(2) from exc


@requests_app.command("due")
def requests_due(
    regime: str = typer.Option(..., help="gdpr, uk-gdpr, ccpa, va, co, ct, tx, ut, or, lgpd, pipeda, none"),
    received: str = typer.Option(..., help="When the request was received (ISO 8601)."),
    type_: str | None = typer.Option(None, "--type", help="Request type, e.g. opt-out-sale."),
    tz: str | None = typer.Option(None, help="Time zone for the date of receipt (default: controller's)."),
    calendar: str | None = typer.Option(None, help="Holiday calendar, e.g. DE, GB-ENG, US."),
    paused: list[str] = typer.Option([], help="FROM/TO dates the clock was stopped (gdpr, uk-gdpr)."),
) -> None:
    """Print the acknowledgement, due and extended due dates as JSON."""
    try:
        settings = deadline_settings()
        result = request_deadlines(
            regime,
            parse_received(received, tz or settings.controller_tz),
            request_type=type_,
            tz=tz,
            calendar=calendar,
            paused=[parse_paused(p) for p in paused],
            settings=settings,
        )
    except DeadlineError as exc:
        _fail(exc)
        return
    typer.echo(json.dumps(result.to_json_dict()))


@optouts_app.command("deadline")
def optouts_deadline(
    rule: str = typer.Option(..., help="can-spam, tcpa, ccpa-sale, gpc, gdpr-objection"),
    received: str = typer.Option(..., help="When the opt-out was received (ISO 8601)."),
    tz: str | None = typer.Option(None, help="Time zone for the date of receipt."),
    calendar: str | None = typer.Option(None, help="Holiday calendar, e.g. US."),
) -> None:
    """Print the last day a promotional message may still go out, as JSON."""
    try:
        settings = deadline_settings()
        result = optout_deadline(
            rule,
            parse_received(received, tz or settings.controller_tz),
            tz=tz,
            calendar=calendar,
            settings=settings,
        )
    except DeadlineError as exc:
        _fail(exc)
        return
    typer.echo(json.dumps(result.to_json_dict()))


__all__ = ["optouts_app", "requests_app"]
