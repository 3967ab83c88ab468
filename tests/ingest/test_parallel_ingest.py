"""A log large enough to be parsed in worker processes is stored exactly as the one-process path stores it
(rows, people linked, rejections, URL findings, rollups), on SQLite and PostgreSQL; the worker pool
keeps order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.activity import PARALLEL_FROM_BYTES, ingest_access_log
from data_access.db import session_factory, transaction
from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    ImportBatch,
    RejectedRow,
    TrafficDaily,
    UrlPiiFinding,
)
from data_access.models.enums import Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"
COMPLIANCE = Path(sys.executable).parent / "compliance"
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1",
    "curl/8.5.0",
]


def _write_log(path: Path, refs: list[str]) -> None:
    """About 3 MB: linked, unlinked and PII lines across days and zones, with the tricky corpus mixed in."""
    start, corpus = datetime(2026, 10, 1, 22, tzinfo=UTC), CORPUS.read_bytes()
    with path.open("wb") as out:
        for i in range(14_000):
            at = (start + timedelta(seconds=37 * i)).astimezone(UTC if i % 3 else None)
            query = (
                f"uid={refs[i % len(refs)]}"
                if i % 4 == 0
                else "email=jo%40example.com"
                if i % 997 == 0
                else f"page={i % 13}"
            )
            out.write(
                f'198.51.100.{i % 200} - - [{at:%d/%b/%Y:%H:%M:%S %z}] "GET /app/{i % 17}?{query} HTTP/1.1" '
                f'{(200, 304, 404)[i % 3]} {i % 9000} "https://ref{i % 5}.example/" '
                f'"{AGENTS[i % 3]}"\n'.encode()
            )
            if i % 2000 == 0:
                out.write(corpus)


def _snapshot(engine: Engine) -> dict[str, list[Any]]:
    with session_factory(engine)() as session:

        def rows(*columns: Any) -> list[Any]:
            return [tuple(r) for r in session.execute(select(*columns).order_by(*columns))]

        log = AccessLogEntry
        return {
            "log": rows(
                log.line_key,
                log.ts,
                log.client,
                log.authuser,
                log.method,
                log.path,
                log.query,
                log.protocol,
                log.status,
                log.bytes_sent,
                log.referrer,
                log.user_agent,
                log.person_id,
            ),
            "rejected": rows(RejectedRow.line_no, RejectedRow.field, RejectedRow.reason),
            "findings": rows(
                UrlPiiFinding.line_no, UrlPiiFinding.kind, UrlPiiFinding.param, UrlPiiFinding.masked_sample
            ),
            "traffic": rows(
                TrafficDaily.day,
                TrafficDaily.dimension,
                TrafficDaily.value,
                TrafficDaily.requests,
                TrafficDaily.bytes_sent,
            ),
            "activity": rows(ActivityDaily.day, ActivityDaily.person_id, ActivityDaily.requests),
        }


def _forget_ingest(engine: Engine) -> None:
    with transaction(engine) as session:
        for model in (UrlPiiFinding, RejectedRow, AccessLogEntry, TrafficDaily, ActivityDaily, ImportBatch):
            session.execute(delete(model))


def test_worker_processes_store_what_one_process_stores(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: ingest never starts worker processes here")
    refs = [make_person(session).external_ref for _ in range(40)]
    session.commit()
    log = tmp_path / "big.log"
    _write_log(log, refs)
    assert log.stat().st_size >= PARALLEL_FROM_BYTES
    one = ingest_access_log(session=session, principal=MANAGER, path=log, workers=1)
    session.commit()
    expected = _snapshot(engine)
    _forget_ingest(engine)
    # A fresh CLI process has one thread, so it forks workers (under pytest other threads may be alive).
    env = os.environ | {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    done = subprocess.run(
        [str(COMPLIANCE), "ingest", "access-log", str(log), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == one.counts()
    assert one.rejected > 0 and one.duplicates == 0 and expected["findings"] and expected["activity"]
    assert _snapshot(engine) == expected


def test_the_pool_returns_results_in_order_from_other_processes() -> None:
    script = (
        "from dashboard.imports.worker_pool import map_in_order\n"
        "import os\n"
        "out = list(map_in_order(divmod, ((n, 7) for n in range(200)), 2))\n"
        "assert out == [divmod(n, 7) for n in range(200)], out\n"
        "def pid(_):\n    return os.getpid()\n"
        "pids = set(map_in_order(pid, ((n,) for n in range(50)), 2))\n"
        "print(len(pids - {os.getpid()}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "2"


def test_the_pool_raises_a_workers_error_at_its_item_and_leaves_no_process_behind() -> None:
    script = (
        "from dashboard.imports.worker_pool import map_in_order, WorkerFailed\n"
        "import multiprocessing, os, signal\n"
        "def invert(n):\n    return 1 / n\n"
        "seen = []\n"
        "try:\n"
        "    for value in map_in_order(invert, ((n,) for n in (4, 2, 0, 1)), 2):\n"
        "        seen.append(value)\n"
        "except ZeroDivisionError:\n"
        "    seen.append('raised')\n"
        "assert seen == [0.25, 0.5, 'raised'], seen\n"
        "stream = map_in_order(abs, ((n,) for n in range(1000)), 2)\n"
        "assert next(stream) == 0\n"
        "stream.close()\n"  # the consumer stops early: the workers are stopped with it
        "assert not multiprocessing.active_children(), multiprocessing.active_children()\n"
        "def die(n):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
        "try:\n"
        "    list(map_in_order(die, ((n,) for n in range(4)), 2))\n"
        "except WorkerFailed as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "ended without a result" in done.stdout, done.stdout + done.stderr
