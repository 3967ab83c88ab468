"""Benchmark datasets: built once with the bulk demo loader and kept under bench-data/ for later runs."""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dashboard.checks.overview_trends import keep_month_end_verdicts
from dashboard.demo.bulk import load_bulk
from dashboard.demo.generate import load_demo
from data_access.db import make_engine, transaction
from data_access.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "bench-data"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Names the PostgreSQL datasets (<prefix>_small, ...): runs from two checkouts at once each set
# their own.
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "compliance_bench")


@dataclass(frozen=True)
class Size:
    name: str
    users: int
    log_lines: int
    events: int


# "people": 1M people and nothing else, for the probes that read people alone (search): minutes to build.
SIZES = {
    "small": Size("small", 10_000, 200_000, 50_000),
    "large": Size("large", 1_000_000, 20_000_000, 5_000_000),
    "people": Size("people", 1_000_000, 0, 0),
}


DEMO = Size("demo", 2_000, 0, 0)  # `compliance demo`'s data (180 days ending now), for the browser benchmark
DEMO_DAYS = 180


def demo_dataset(engine_name: str) -> str:
    """`compliance demo`'s dataset, loaded afresh on each run: its 180 days end at the current hour, as a
    demo's do, so the pages show what they show a new user (deadlines due, this month's trend)."""
    url = dataset_url(engine_name, DEMO)
    _reset(engine_name, url)
    upgrade(url)
    engine = make_engine(url)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    load_demo(engine, users=DEMO.users, days=DEMO_DAYS, seed=7, end=end)
    with transaction(engine) as session:  # as `compliance demo` does: the Overview's trend of checks passing
        keep_month_end_verdicts(
            session=session, first=(end - timedelta(days=DEMO_DAYS)).date(), end=end, tz="UTC"
        )
    engine.dispose()
    return url


def dataset_url(engine_name: str, size: Size) -> str:
    if engine_name == "sqlite":
        return f"sqlite:///{DATA_DIR / f'{size.name}.db'}"
    name = f"{PG_PREFIX}_{size.name}"
    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


def ensure_dataset(
    engine_name: str, size: Size, rebuild: bool = False
) -> tuple[str, dict[str, float] | None]:
    """The URL of a loaded dataset and, when it had to be built now, the seconds each phase of the build took
    (BulkSummary.seconds; "total" from the start of the load to its commit and VACUUM)."""
    url = dataset_url(engine_name, size)
    if not rebuild and _is_loaded(url):
        upgrade(url)  # a kept dataset gets the migrations added since it was built, as a real database would
        return url, None
    _reset(engine_name, url)
    upgrade(url)
    engine = make_engine(url)
    summary = load_bulk(engine, users=size.users, log_lines=size.log_lines, events=size.events)
    engine.dispose()
    return url, summary.seconds


def scratch_url(engine_name: str) -> str:
    """An empty database for probes that import files and keep what they import (bench.memory), made anew."""
    url = dataset_url(engine_name, Size("memory", 0, 0, 0))
    _reset(engine_name, url)
    return url


def copy_dataset(url: str, suffix: str) -> str:
    """A copy of the dataset at `url` for a probe that changes data (the kept dataset is never
    touched): SQLite through the backup API (a consistent copy, WAL included); PostgreSQL as
    CREATE DATABASE ... TEMPLATE, retried while another session still holds the template (the
    caller must have closed its own)."""
    source = make_url(url)
    copy = source.set(
        database=f"{str(source.database).removesuffix('.db')}-{suffix}.db"
        if source.get_backend_name() == "sqlite"
        else f"{source.database}_{suffix}"
    )
    copy_url = copy.render_as_string(hide_password=False)
    drop_copy(copy_url)
    if source.get_backend_name() == "sqlite":
        with sqlite3.connect(str(source.database)) as src, sqlite3.connect(str(copy.database)) as dst:
            src.backup(dst)
        return copy_url
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(10):
            try:
                with admin.connect() as connection:
                    connection.execute(
                        text(f'CREATE DATABASE "{copy.database}" TEMPLATE "{source.database}"')
                    )
                break
            # "source database is being accessed by other users": wait and retry
            except Exception:  # noqa: BLE001
                if attempt == 9:
                    raise
                time.sleep(3)
    finally:
        admin.dispose()
    return copy_url


def drop_copy(url: str) -> None:
    """Remove a copy made by copy_dataset (nothing if there is none)."""
    copy = make_url(url)
    if copy.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(copy.database) + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{copy.database}" WITH (FORCE)'))
    admin.dispose()


def _is_loaded(url: str) -> bool:
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            loaded = bool(connection.execute(text("SELECT count(*) FROM staff_accounts")).scalar())
        engine.dispose()
        return loaded
    except Exception:  # noqa: BLE001 - missing file, database or table all mean "not loaded"
        return False


def _reset(engine_name: str, url: str) -> None:
    if engine_name == "sqlite":
        DATA_DIR.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(make_url(url).database) + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    name = make_url(url).database
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
