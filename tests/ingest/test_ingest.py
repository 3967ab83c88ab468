"""Log and event ingest on SQLite and PostgreSQL: read = stored + rejected, re-import stores nothing, people
linked by the documented rule, URL PII recorded as findings, rollups equal a recomputation from raw rows."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from dashboard.auth.service import Principal
from dashboard.cli.main import app
from dashboard.imports.activity import ingest_access_log, ingest_events
from data_access.db import session_factory
from data_access.models import AccessLogEntry, ActivityDaily, RejectedRow, UrlPiiFinding, UsageEvent
from data_access.models.enums import Role
from tests.conftest import truncate_all
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"


def _line(ts: datetime, path: str, authuser: str = "-", ip: str = "203.0.113.5") -> str:
    return (f'{ip} - {authuser} [{ts:%d/%b/%Y:%H:%M:%S +0000}] "GET {path} HTTP/1.1" 200 512 '
            f'"https://ref.example/" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"\n')


def test_every_corpus_line_is_stored_or_rejected_and_a_second_import_stores_nothing(session: Session) -> None:
    first = ingest_access_log(session=session, principal=MANAGER, path=CORPUS)
    session.commit()
    lines = len(CORPUS.read_bytes().splitlines())
    assert first.read == lines == first.stored + first.rejected and first.rejected > 0
    assert session.scalar(select(func.count()).select_from(RejectedRow)) == first.rejected
    assert all(r.line_no > 0 and r.reason for r in session.scalars(select(RejectedRow)))
    second = ingest_access_log(session=session, principal=MANAGER, path=CORPUS)
    session.commit()
    assert (second.stored, second.duplicates, second.read) == (0, first.stored, lines)
    assert second.read == second.stored + second.rejected
    assert session.scalar(select(func.count()).select_from(AccessLogEntry)) == first.stored


def test_lines_link_to_people_and_url_pii_is_found(session: Session, tmp_path: Path) -> None:
    ann = make_person(session, google_id="g-77")
    bob = make_person(session)
    session.commit()
    at = datetime(2026, 10, 5, 9, tzinfo=UTC)
    log = tmp_path / "access.log.gz"
    with gzip.open(log, "wt") as out:
        out.write(_line(at, f"/app?uid={ann.external_ref}"))
        out.write(_line(at + timedelta(seconds=1), "/app?gid=g-77"))
        out.write(_line(at + timedelta(seconds=2), "/app", authuser=bob.username or ""))
        out.write(_line(at + timedelta(seconds=3), "/help?email=someone%40example.com"))
        out.write(_line(at + timedelta(seconds=4), "/pricing"))
    report = ingest_access_log(session=session, principal=MANAGER, path=log)
    session.commit()
    assert (report.read, report.stored) == (5, 5)
    linked = session.execute(select(AccessLogEntry.person_id).order_by(AccessLogEntry.ts)).scalars().all()
    assert linked == [ann.id, ann.id, bob.id, None, None]
    finding = session.scalars(select(UrlPiiFinding)).one()
    assert (finding.kind, finding.param, finding.masked_sample) == ("email", "email", "s***@example.com")
    assert session.scalar(select(func.sum(ActivityDaily.requests))) == 3  # rollups kept current by ingest


def test_events_are_linked_by_user_id_and_bad_lines_rejected(session: Session, tmp_path: Path) -> None:
    person = make_person(session)
    session.commit()
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join([
        json.dumps({"ts": "2026-10-05T09:00:00Z", "user_ref": person.external_ref, "session_id": "s1",
                    "feature": "invoices", "action": "view", "duration_ms": 1200}),
        json.dumps({"ts": "2026-10-05T09:00:00", "feature": "x", "action": "y"}),  # no time zone
        "{not json"]) + "\n")
    report = ingest_events(session=session, principal=MANAGER, path=events)
    session.commit()
    assert (report.read, report.stored, report.rejected) == (3, 1, 2)
    assert session.scalar(select(UsageEvent.person_id)) == person.id
    assert {e.field for e in report.errors} >= {"ts"}


def test_the_cli_prints_json_counts_and_fails_only_on_an_unreadable_file(engine: Engine, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", "access-log", str(CORPUS), "--json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output.strip().splitlines()[-1])
    assert set(counts) == {"read", "stored", "rejected", "duplicates"}
    assert counts["read"] == counts["stored"] + counts["rejected"]
    missing = runner.invoke(app, ["ingest", "access-log", str(tmp_path / "nope.log")])
    assert missing.exit_code == 1 and "nope.log" in missing.output


lines = st.lists(st.tuples(st.integers(0, 3 * 24 * 3600), st.sampled_from(["/app", "/app?uid=U0000001",
                                                                              "/app?uid=U0000002", "/docs"]),
                           st.sampled_from(["203.0.113.1", "203.0.113.2"])), min_size=1, max_size=40)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines)
def test_rollups_after_ingest_equal_a_direct_recomputation(engine: Engine, tmp_path: Path,
                                                           generated: list[tuple[int, str, str]]) -> None:
    truncate_all(engine)
    with session_factory(engine)() as session:
        for ref in ("U0000001", "U0000002"):
            person = make_person(session)
            person.external_ref = ref
        session.commit()
        start = datetime(2026, 10, 1, tzinfo=UTC)
        log = tmp_path / "gen.log"
        log.write_text("".join(_line(start + timedelta(seconds=s), p, ip=ip) for s, p, ip in generated))
        ingest_access_log(session=session, principal=MANAGER, path=log)
        session.commit()
        rollup = {(str(d), p): r for d, p, r in session.execute(select(ActivityDaily.day, ActivityDaily.person_id,
                                                                        ActivityDaily.requests))}
        day = "date(ts)" if engine.dialect.name == "sqlite" else "CAST(ts AT TIME ZONE 'UTC' AS DATE)"
        direct = {(str(d), p): n for d, p, n in session.execute(text(
            f"SELECT {day}, person_id, COUNT(*) FROM access_log WHERE person_id IS NOT NULL GROUP BY 1, 2"))}
        assert rollup == direct
        traffic = session.execute(text("SELECT SUM(requests) FROM traffic_daily WHERE dimension = 'status'")).scalar()
        assert traffic == len(generated)
