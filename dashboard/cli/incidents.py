"""`compliance incidents due`: the legal clocks of a personal data breach as JSON
(dashboard.rules.breach_deadlines).

Output: {"regime", "aware" (ISO, as given), "risk", "authority_due" (ISO UTC or null), "clocks":
[...]}; each clock names the party told, the rule and its source, and its end ("due", null where the
law gives no number).
"""

from __future__ import annotations

import json

import typer

from dashboard.rules.breach_deadlines import regime_clocks
from dashboard.rules.business_days import DeadlineError
from dashboard.rules.deadlines import deadline_settings, parse_received

app = typer.Typer(help="Security incidents (personal data breaches).", no_args_is_help=True)


@app.command("due")
def due(
    regime: str = typer.Option(
        ..., help="gdpr, uk-gdpr, processor, or a US state: us-co, us-fl, us-tx, us-wa, us-in, us-ca"
    ),
    aware: str = typer.Option(..., help="When we became aware of the breach (ISO 8601)."),
    risk: str = typer.Option("risk", help="unlikely, risk or high_risk (decides which notices apply)."),
    residents: int = typer.Option(1, help="Residents affected (US state thresholds)."),
    tz: str | None = typer.Option(
        None, help="Zone of --aware without an offset, and of US day counts (default: the controller's)."
    ),
) -> None:
    """Print the deadlines of every notice the regime asks for, as JSON."""
    zone = tz or deadline_settings().controller_tz
    try:
        when = parse_received(aware, zone)
        clocks = regime_clocks(regime, when, tz=zone, risk=risk, residents=residents)
    except DeadlineError as exc:
        field = "aware" if exc.field == "received" else exc.field
        typer.echo(f"error: --{field}: {exc}", err=True)
        raise typer.Exit(2) from exc
    authority = next((c for c in clocks if c.party == "supervisory authority"), None)
    typer.echo(
        json.dumps(
            {
                "regime": regime,
                "aware": when.isoformat(),
                "risk": risk,
                "authority_due": authority.due_at.isoformat() if authority and authority.due_at else None,
                "clocks": [c.to_json_dict() for c in clocks],
            }
        )
    )
