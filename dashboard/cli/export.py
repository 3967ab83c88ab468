"""`compliance export evidence|report|workbook`: what the export centre produces, from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from dashboard.auth.service import Principal
from dashboard.cli.operator import cli_principal, command_session
from dashboard.exports.centre import export_evidence, export_pdf, export_workbook
from dashboard.rules.deadlines import deadline_settings
from data_access.models.enums import Role

app = typer.Typer(
    help="Exports for auditors: evidence package, PDF report, XLSX workbook.", no_args_is_help=True
)
FROM = typer.Option(..., "--from", help="First day of the period (YYYY-MM-DD).")
TO = typer.Option(..., "--to", help="Day after the period ends (YYYY-MM-DD, excluded).")
MASKED = typer.Option(
    False, "--masked", help="Mask personal data and name people by pseudonym, as an auditor sees it."
)


def _principal(masked: bool) -> Principal:
    operator = cli_principal()
    return Principal(operator.username, operator.display_name, Role.AUDITOR) if masked else operator


def _window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    since, until = start.replace(tzinfo=UTC), end.replace(tzinfo=UTC)
    if until <= since:
        typer.echo("error: --to: the end must come after --from", err=True)
        raise typer.Exit(2)
    return since, until


@app.command()
def evidence(
    out: Path = typer.Argument(..., help="The zip to write."),
    start: datetime = FROM,
    end: datetime = TO,
    masked: bool = MASKED,
) -> None:
    """Report, registers, audit extract with chain check and SHA256SUMS, in one zip."""
    since, until = _window(start, end)
    with command_session() as session:
        package = export_evidence(
            session=session,
            principal=_principal(masked),
            since=since,
            until=until,
            now=datetime.now(UTC),
            tz=deadline_settings().controller_tz,
        )
    out.write_bytes(package.content)
    typer.echo(
        f"wrote {out} ({len(package.files)} files, sha256 {package.sha256}); "
        "verify with: unzip it, then sha256sum -c SHA256SUMS"
    )


@app.command()
def report(
    out: Path = typer.Argument(..., help="The PDF to write."),
    start: datetime = FROM,
    end: datetime = TO,
    masked: bool = MASKED,
) -> None:
    """The PDF compliance report for the period."""
    since, until = _window(start, end)
    with command_session() as session:
        out.write_bytes(
            export_pdf(
                session=session,
                principal=_principal(masked),
                since=since,
                until=until,
                now=datetime.now(UTC),
                tz=deadline_settings().controller_tz,
            )
        )
    typer.echo(f"wrote {out}")


@app.command()
def workbook(
    out: Path = typer.Argument(..., help="The XLSX to write."),
    start: datetime = FROM,
    end: datetime = TO,
    masked: bool = MASKED,
) -> None:
    """One sheet per register for the period."""
    since, until = _window(start, end)
    with command_session() as session:
        out.write_bytes(
            export_workbook(
                session=session,
                principal=_principal(masked),
                since=since,
                until=until,
                tz=deadline_settings().controller_tz,
                now=datetime.now(UTC),
            )
        )
    typer.echo(f"wrote {out}")
