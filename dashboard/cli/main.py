"""Entry point of the `compliance` CLI (console script in pyproject.toml)."""

from __future__ import annotations

import typer

from dashboard.cli import (
    audit,
    check,
    db,
    deadlines,
    demo,
    export,
    imports,
    incidents,
    ingest,
    inventory,
    optouts,
    requests,
    retention,
    staff,
    sync,
)

app = typer.Typer(help="Interface Billing compliance dashboard: data, deadlines, checks and exports.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(db.app, name="db")
app.command("demo")(demo.demo)
app.command("demo-bulk")(demo.demo_bulk)
app.command("check")(check.check)
app.command("inventory")(inventory.inventory)
app.add_typer(ingest.app, name="ingest")
app.add_typer(staff.app, name="staff")
app.add_typer(audit.app, name="audit")
app.command("import")(imports.import_command)
app.command("sync")(sync.sync)
app.add_typer(export.app, name="export")
app.add_typer(incidents.app, name="incidents")
app.add_typer(retention.app, name="retention")
deadlines.requests_app.command("new")(requests.new)
deadlines.requests_app.command("import-opendsr")(requests.import_opendsr)
deadlines.requests_app.command("export-opendsr")(requests.export_opendsr)
deadlines.requests_app.command("auto-close")(requests.auto_close)
app.add_typer(deadlines.requests_app, name="requests")
deadlines.optouts_app.command("report")(optouts.report)
deadlines.optouts_app.command("import")(optouts.import_suppression)
deadlines.optouts_app.command("honour")(optouts.honour)
app.add_typer(deadlines.optouts_app, name="optouts")

if __name__ == "__main__":
    app()
