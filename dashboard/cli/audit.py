"""`compliance audit verify [--head HASH]`: check the audit log's hash chain; exit 1 naming the first bad entry."""

from __future__ import annotations

import typer

from dashboard.audit.log import verify as verify_chain
from dashboard.cli.operator import command_session

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command()
def verify(head: str | None = typer.Option(None, help="A head hash recorded earlier (e.g. in an evidence package): "
                                                        "detects entries cut off the end.")) -> None:
    """Walk the whole chain; report the entries checked and the head hash."""
    with command_session(write=False) as session:
        verdict = verify_chain(session=session, expected_head=head)
    if not verdict.ok:
        where = f"entry {verdict.first_bad_id}" if verdict.first_bad_id is not None else "the head"
        typer.echo(f"BROKEN at {where}: {verdict.reason} ({verdict.checked} entries checked)", err=True)
        raise typer.Exit(1)
    typer.echo(f"intact: {verdict.checked} entries; head {verdict.head_hash}")
