"""`compliance check`: run the policy-check catalogue; exit 1 when any check fails (for cron and CI)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import typer

from dashboard.checks.base import CheckContext
from dashboard.checks.catalogue import CHECKS, run_checks
from dashboard.checks.overview_trends import keep_verdicts
from dashboard.cli.operator import command_session
from dashboard.rules.deadlines import deadline_settings


def check(
    as_json: bool = typer.Option(False, "--json", help="Print results (with evidence counts) as JSON."),
    only: list[str] = typer.Option([], help="Run only these check keys (repeatable)."),
    as_of: datetime | None = typer.Option(None, help="Judge the data as of this time (ISO, UTC)."),
) -> None:
    """Test every policy commitment that data can test; exit status 1 if any fails, 2 on bad options."""
    unknown = sorted(set(only) - {spec.key for spec in CHECKS})
    if unknown:
        typer.echo(
            f"error: --only: unknown check(s) {', '.join(unknown)}; known: "
            + ", ".join(spec.key for spec in CHECKS),
            err=True,
        )
        raise typer.Exit(2)
    now = (as_of.replace(tzinfo=UTC) if as_of and as_of.tzinfo is None else as_of) or datetime.now(UTC)
    with command_session() as session:
        results = run_checks(
            session=session, context=CheckContext(now, deadline_settings().controller_tz), keys=only or None
        )
        keep_verdicts(session=session, results=results, as_of=now.date())  # the Overview's trend of checks
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "as_of": now.isoformat(),
                    "passed": all(r.passed for r in results),
                    "checks": [r.summary() for r in results],
                },
                indent=2,
            )
        )
    else:
        for r in results:
            more = "+" if r.listed_in_part else " "
            typer.echo(
                f"{'PASS' if r.passed else 'FAIL'}  {r.title:42} {len(r.evidence):>6}{more} evidence row(s)"
                f"  [{r.key}]"
            )
    if not all(r.passed for r in results):
        raise typer.Exit(1)
