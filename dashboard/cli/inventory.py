"""`compliance inventory USER`: everything held about one person, as JSON (the access package's source)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import typer

from dashboard.cli.operator import command_session
from dashboard.inventory.sections import held_categories
from data_access.queries.people import find_people
from data_access.queries.person_inventory import person_inventory


def inventory(
    user: str = typer.Argument(..., help="Email, username, user id, phone or identifier (a Google ID)."),
) -> None:
    """Print the person's inventory, section by section, with the data categories each holds."""
    with command_session(write=False) as session:
        matches = find_people(session=session, term=user, limit=2)
        if len(matches) != 1:
            typer.echo(
                f"error: USER: {'no person' if not matches else 'more than one person'} matches "
                f"{user!r} exactly",
                err=True,
            )
            raise typer.Exit(2)
        found = person_inventory(session=session, person_id=matches[0].person_id)
    assert found is not None
    typer.echo(
        json.dumps(
            {"person_id": found.person_id, "categories": held_categories(found), "sections": found.sections},
            default=_json,
            indent=2,
            ensure_ascii=False,
        )
    )


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
