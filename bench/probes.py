"""Per-person and ingest measurements on a benchmark dataset. Probes that change data run inside a transaction
that is rolled back, so a dataset can be reused."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports.activity import ingest_access_log
from dashboard.services.fulfilment.access_package import build_package
from data_access.db import make_engine, session_factory
from data_access.erasure import erase_person_rows, identifying_values
from data_access.models import AccessLogEntry
from data_access.models.enums import Role
from data_access.pii_scan import scan_for_values
from data_access.queries.person_inventory import person_inventory

Probe = Callable[[str], float | None]
BENCH = Principal("bench", "Benchmark", Role.MANAGER)
INGEST_LINES = 200_000  # large enough that worker start-up is not what is measured


def busiest_person(url: str) -> int:
    """A person with a long history: the one with the most log lines among the first thousand ids."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        person_id = session.scalar(select(AccessLogEntry.person_id).where(AccessLogEntry.person_id.between(1, 1000))
                                   .group_by(AccessLogEntry.person_id).order_by(func.count().desc()).limit(1))
    engine.dispose()
    return int(person_id or 1)


def _timed_in_rollback(url: str, work: Callable[[Session], object], warm: bool = True) -> float:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        if warm:
            work(session)
            session.rollback()
        started = time.perf_counter()
        work(session)
        elapsed = time.perf_counter() - started
        session.rollback()
    engine.dispose()
    return elapsed


def inventory_seconds(url: str) -> float:
    person_id = busiest_person(url)
    return _timed_in_rollback(url, lambda s: person_inventory(session=s, person_id=person_id))


def access_package_seconds(url: str) -> float:
    person_id = busiest_person(url)
    now = datetime.now(UTC)

    def work(session: Session) -> None:
        inventory = person_inventory(session=session, person_id=person_id, for_subject=True)
        assert inventory is not None
        build_package(inventory, reference="BENCH", generated=now)
    return _timed_in_rollback(url, work)


def erasure_seconds(url: str) -> float:
    """The erasure itself (every table, on indexed keys); the verification scan is measured apart."""
    person_id = busiest_person(url)

    def work(session: Session) -> None:
        found = identifying_values(session=session, person_id=person_id)
        erase_person_rows(session=session, found=found, pseudonym="bench", now=datetime.now(UTC))
    return _timed_in_rollback(url, work, warm=False)


def erasure_scan_seconds(url: str) -> float:
    person_id = busiest_person(url)

    def work(session: Session) -> None:
        scan_for_values(session=session, values=identifying_values(session=session, person_id=person_id).values)
    return _timed_in_rollback(url, work, warm=False)


def _bench_log(directory: str) -> Path:
    start = datetime(2026, 10, 1, tzinfo=UTC)
    log = Path(directory) / "bench.log"
    log.write_text("".join(
        f'198.51.100.{i % 250} - - [{start + timedelta(seconds=i):%d/%b/%Y:%H:%M:%S +0000}] '
        f'"GET /app/invoices?uid=U{i % 900 + 1:07d} HTTP/1.1" 200 {512 + i % 4000} "https://example.com/" '
        f'"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"\n' for i in range(INGEST_LINES)))
    return log


def ingest_lines_per_second(url: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        log = _bench_log(tmp)
        seconds = _timed_in_rollback(url, lambda s: ingest_access_log(session=s, principal=BENCH, path=log),
                                     warm=False)
    return INGEST_LINES / seconds


def goaccess_lines_per_second(url: str) -> float | None:
    """GoAccess (Debian package goaccess) parsing the same file to a JSON report: the yardstick for ingest."""
    if shutil.which("goaccess") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        log = _bench_log(tmp)
        started = time.perf_counter()
        subprocess.run(["goaccess", str(log), "--log-format=COMBINED", "--no-progress", "-o",
                        str(Path(tmp) / "report.json")], check=True, capture_output=True)
        return INGEST_LINES / (time.perf_counter() - started)


PROBES: dict[str, Probe] = {"inventory_one_person_s": inventory_seconds, "access_package_s": access_package_seconds,
                            "erasure_one_person_s": erasure_seconds, "erasure_scan_s": erasure_scan_seconds,
                            "ingest_lines_per_s": ingest_lines_per_second,
                            "goaccess_lines_per_s": goaccess_lines_per_second}
