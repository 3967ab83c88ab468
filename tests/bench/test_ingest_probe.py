"""The ingest benchmark commits its import (so the commit is timed) and then takes it out: the
dataset it leaves must be the one it found, or every later run would measure something else."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from bench.probes import ingest_lines_per_second
from dashboard.demo.bulk import load_bulk
from data_access.models import (
    AccessLogEntry,
    ActivityDaily,
    ActivityDayTotal,
    ActivityFirstDay,
    ImportBatch,
    TrafficDaily,
)
from tests.conftest import DEMO_END


def _state(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        rollups = {
            model.__tablename__: sorted(
                tuple(row) for row in connection.execute(select(*model.__table__.columns))
            )
            for model in (ActivityDaily, ActivityDayTotal, ActivityFirstDay, TrafficDaily)
        }
        lines = connection.scalar(select(func.count()).select_from(AccessLogEntry))
    return {**rollups, "access_log": lines}


def test_the_ingest_probe_leaves_the_dataset_as_it_found_it(engine: Engine) -> None:
    load_bulk(engine, users=1_000, log_lines=5_000, events=500, days=60, end=DEMO_END)  # its year holds Oct 1
    before = _state(engine)

    rate = ingest_lines_per_second(engine.url.render_as_string(hide_password=False), lines=3_000)

    assert rate > 0
    assert _state(engine) == before
    with engine.connect() as connection:  # the import itself stays on record, as the audit log does
        assert (
            connection.scalar(select(ImportBatch.rows_stored).order_by(ImportBatch.id.desc()).limit(1))
            == 3_000
        )


def test_each_ingest_is_compared_with_the_goaccess_runs_on_either_side_of_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The machine's speed drifts: an ingest's share is taken against GoAccess just before and just
    after it."""
    import bench.probes as probes

    goaccess, ingest = iter([100.0, 120.0, 80.0, 100.0]), iter([50.0, 60.0, 30.0])
    monkeypatch.setattr(probes, "goaccess_lines_per_second", lambda lines: next(goaccess))
    monkeypatch.setattr(probes, "ingest_lines_per_second", lambda url, lines: next(ingest))

    figures = probes.ingest_beside_goaccess("sqlite://", pairs=3)

    assert figures == {
        "ingest_lines_per_s": 50.0,
        "goaccess_lines_per_s": 100.0,
        "ingest_share_of_goaccess": 50.0 / 110.0,
    }  # of 50/110, 60/100 and 30/90
