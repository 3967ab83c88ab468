"""The CLI imports a subcommand only when it runs (issue 23 item 2, issue 27 item 3).

Importing every subcommand at start loaded pandas, plotly, pyarrow and fpdf for `compliance ingest` too: about
225 MB before the first line was read, inherited by the forked parsing workers. Each run is a fresh
process: this one has long imported all of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from bench.memory import peak_rss_mb, write_access_log, write_people_csv
from dashboard.cli.main import SUBCOMMANDS, app

HEAVY = ("pandas", "plotly", "streamlit", "pyarrow", "fpdf", "openpyxl", "numpy")
CLI_BUDGET_MB = (
    150  # a 200-line ingest peaked at 202 MB with every subcommand imported, 75 MB with its own only
)

_RUN_THEN_LIST_MODULES = """
import json, sys
from typer.testing import CliRunner
from dashboard.cli.main import app
result = CliRunner().invoke(app, sys.argv[1:])
print(json.dumps({"exit_code": result.exit_code, "output": result.output,
                  "modules": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'lazy.db'}"}


def _run_and_list(tmp_path: Path, *args: str) -> dict[str, Any]:
    answer = subprocess.run(
        [sys.executable, "-c", _RUN_THEN_LIST_MODULES, *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(answer.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _migrated(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli.main", "db", "upgrade"],
        env=_env(tmp_path),
        check=True,
        capture_output=True,
    )


def test_ingest_and_import_dry_run_load_no_dataframe_chart_or_ui_library(tmp_path: Path) -> None:
    _migrated(tmp_path)
    log = write_access_log(tmp_path / "access.log", 50)
    people = write_people_csv(tmp_path / "people.csv", 20_000)
    for args in (
        ["ingest", "access-log", str(log)],
        ["import", "people", str(people), "--dry-run"],
        ["ingest", "access-log", "--help"],
    ):
        run = _run_and_list(tmp_path, *args)
        assert run["exit_code"] == 0, run["output"]
        assert not set(HEAVY) & set(run["modules"]), (args, sorted(set(HEAVY) & set(run["modules"])))


def test_the_ingest_command_s_process_stays_small(tmp_path: Path) -> None:
    _migrated(tmp_path)
    log = write_access_log(tmp_path / "access.log", 200)
    megabytes, code = peak_rss_mb(
        [sys.executable, "-m", "dashboard.cli.main", "ingest", "access-log", str(log)], _env(tmp_path)
    )
    assert code == 0
    assert megabytes < CLI_BUDGET_MB, megabytes


def test_every_subcommand_is_listed_in_order_and_resolves() -> None:
    listing = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    lines = [line for line in listing.output.splitlines() if line.startswith("│ ")]
    listed = [line.split()[1] for line in lines if line.split()[1] in SUBCOMMANDS]
    assert listed == list(SUBCOMMANDS)
    for name in SUBCOMMANDS:
        shown = CliRunner().invoke(app, [name, "--help"])
        assert shown.exit_code == 0 and f"{name} [OPTIONS]" in shown.output, (name, shown.output)
