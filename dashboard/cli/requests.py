"""`compliance requests new|import-opendsr|export-opendsr|auto-close`: subject requests from the
command line."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dashboard.cli.import_run import run_import
from dashboard.cli.operator import cli_principal, command_session
from dashboard.imports.opendsr import export_statuses, import_payload
from dashboard.rules.deadlines import deadline_settings, parse_received
from dashboard.rules.field_error import FieldError
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.services.request_workflow import close_unverified
from data_access.models.enums import RequestChannel, RequestType

# intake field -> the option of `requests new` that sets it, so errors name what the user typed
OPTION_FOR_FIELD = {
    "requester_name": "name",
    "requester_email": "email",
    "requester_phone": "phone",
    "request_type": "type",
    "person_id": "person",
    "received_at": "received",
}


def new(
    name: str = typer.Option(..., help="The requester's name."),
    type_: RequestType = typer.Option(..., "--type", help="Request type."),
    received: str = typer.Option(
        ..., help="When it was received (ISO 8601; without offset: controller's zone)."
    ),
    channel: RequestChannel = typer.Option(RequestChannel.EMAIL, help="How it arrived."),
    email: str | None = typer.Option(None, help="The requester's email."),
    phone: str | None = typer.Option(None, help="The requester's phone."),
    country: str | None = typer.Option(None, help="ISO country code: decides the regime."),
    region: str | None = typer.Option(None, help="US state or Canadian province code."),
    regime: str | None = typer.Option(None, help="Override the regime (codes of docs/legal-rules.md)."),
    person: int | None = typer.Option(None, help="The matched person's id, if confirmed."),
    agent: bool = typer.Option(False, "--agent", help="Submitted by an authorised agent."),
    details: str | None = typer.Option(None, help="What the requester asked, in their words."),
) -> None:
    """Log a request received by email, phone or letter; prints its reference and deadlines as JSON."""
    try:
        received_at = parse_received(received, deadline_settings().controller_tz)
        intake = RequestIntake(
            requester_name=name,
            request_type=type_,
            channel=channel,
            received_at=received_at,
            requester_email=email,
            requester_phone=phone,
            country=country,
            region=region,
            regime=regime,
            via_agent=agent,
            details=details,
            person_id=person,
        )
        with command_session() as session:
            request = create_request(session=session, principal=cli_principal(), intake=intake)
            body = {
                "reference": request.reference,
                "regime": request.regime,
                "acknowledge_by": request.acknowledge_by.isoformat() if request.acknowledge_by else None,
                "due": request.due_date.isoformat(),
            }
    except FieldError as exc:
        typer.echo(f"error: --{OPTION_FOR_FIELD.get(exc.field, exc.field)}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(body))


def import_opendsr(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="OpenDSR JSON: one request or an array."
    ),
    regime: str = typer.Option("gdpr", help="Regime of these requests (OpenDSR carries no country)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Import OpenDSR requests; each bad one is rejected with its index, field and reason."""
    data = file.read_bytes()
    run_import(
        lambda session: import_payload(
            session=session, principal=cli_principal(), data=data, source=str(file), regime=regime
        ),
        as_json=as_json,
    )


def export_opendsr(
    out: Path | None = typer.Option(None, help="Write to this file instead of printing."),
) -> None:
    """The status of every OpenDSR request, as OpenDSR status objects (a JSON array)."""
    with command_session(write=False) as session:
        body = json.dumps(export_statuses(session=session), indent=2)
    if out is None:
        typer.echo(body)
    else:
        out.write_text(body + "\n", encoding="utf-8")


def auto_close() -> None:
    """Close requests whose requester has not verified their identity within the set period (for cron)."""
    with command_session() as session:
        closed = close_unverified(session=session, principal=cli_principal())
    typer.echo(f"closed {len(closed)} unverified request(s)" + (f": {', '.join(closed)}" if closed else ""))
