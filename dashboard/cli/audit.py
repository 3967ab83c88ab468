"""`compliance audit verify|head|seal|digest`: check the audit log's hash chain and its keyed head;
exit 1 naming what is wrong. `head` prints the head to anchor outside the database; `seal` seals an
intact log's head with the key; `digest` gives the keyed digest under which failed sign-ins record a
typed username."""

from __future__ import annotations

import json

import typer

from dashboard.audit.chain import ChainVerdict
from dashboard.audit.log import record, reseal, typed_value_digest
from dashboard.audit.log import verify as verify_chain
from dashboard.cli.operator import cli_principal, command_session
from data_access import audit_repo
from data_access.models.enums import Role

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

HEAD_HELP = (
    "A head hash recorded earlier outside the database (`compliance audit head`, an evidence package): "
    "also catches a log rolled back to an older copy, head and all."
)


@app.command()
def verify(head: str | None = typer.Option(None, help=HEAD_HELP)) -> None:
    """Walk the whole chain and check its end against the keyed head; report the entries checked and the head."""  # noqa: E501 - Typer lists it on one line
    with command_session(write=False) as session:
        verdict = verify_chain(session=session, expected_head=head)
    _exit_if_broken(verdict)
    typer.echo(f"intact: {verdict.checked} entries; head {verdict.head_hash}")


@app.command("head")
def show_head() -> None:
    """Verify, then print the head as JSON, to keep somewhere the database's writers cannot change."""
    with command_session(write=False) as session:
        verdict = verify_chain(session=session)
        _exit_if_broken(verdict)
        head = audit_repo.read_head(session)
    typer.echo(
        json.dumps(
            {
                "last_id": verdict.last_id,
                "last_hash": verdict.head_hash,
                "head_hmac": head.head_hmac if head else None,
                "entries": verdict.checked,
            }
        )
    )


@app.command()
def seal(head: str | None = typer.Option(None, help=HEAD_HELP)) -> None:
    """Seal the head with the audit key after an upgrade or a key change, once the chain is verified intact."""  # noqa: E501 - Typer lists it on one line
    with command_session() as session:
        verdict = reseal(session=session, expected_head=head)
        _exit_if_broken(verdict)
        principal = cli_principal(Role.ADMIN)
        record(
            session=session,
            actor=principal.username,
            role=principal.role,
            action="audit.seal",
            details={"sealed_id": verdict.last_id, "sealed_hash": verdict.head_hash},
        )
    typer.echo(f"sealed: {verdict.checked} entries; head {verdict.head_hash}")


@app.command()
def digest(
    typed: str = typer.Argument(
        ..., help="A username as someone may have typed it (case and spaces do not matter)."
    ),
) -> None:
    """The keyed digest a failed sign-in records for TYPED (details.username_digest), to find its entries."""
    typer.echo(typed_value_digest(typed))


def _exit_if_broken(verdict: ChainVerdict) -> None:
    if not verdict.ok:
        where = f"entry {verdict.first_bad_id}" if verdict.first_bad_id is not None else "the head"
        typer.echo(f"BROKEN at {where}: {verdict.reason} ({verdict.checked} entries checked)", err=True)
        raise typer.Exit(1)
