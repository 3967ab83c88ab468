"""`compliance db ...`: schema migrations."""

from __future__ import annotations

import typer

from data_access.db import database_url, describe_url
from data_access.migrate import downgrade as run_downgrade
from data_access.migrate import upgrade as run_upgrade

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database in DATABASE_URL up to REVISION (default: head)."""
    run_upgrade(database_url(), revision)
    typer.echo(f"migrated {describe_url(database_url())} to {revision}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Migrate down to REVISION (base removes every table)."""
    run_downgrade(database_url(), revision)
    typer.echo(f"downgraded {describe_url(database_url())} to {revision}")
