"""Log and event ingest on SQLite and PostgreSQL: read = stored + rejected, re-import stores nothing, people
linked by the documented rule, URL PII recorded as findings (the rollup property test and the CLI are in
test_rollup_property.py and test_ingest_cli.py)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.imports import activity
from dashboard.imports.activity import ingest_access_log, ingest_events
from data_access.models import AccessLogEntry, ActivityDaily, RejectedRow, UrlPiiFinding, UsageEvent
from data_access.models.enums import Role
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"


def _line(ts: datetime, path: str, authuser: str = "-", ip: str = "203.0.113.5") -> str:
    return (
        f'{ip} - {authuser} [{ts:%d/%b/%Y:%H:%M:%S +0000}] "GET {path} HTTP/1.1" 200 512 '
        f'"https://ref.example/" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"\n'
    )


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


def test_people_are_linked_in_every_chunk_when_the_run_forgets_what_it_looked_up(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup remembers identifiers across chunks and starts afresh past its cap; links stay the same."""
    monkeypatch.setattr(activity, "CHUNK", 3)
    monkeypatch.setattr(activity._PersonLookup, "CACHE_MAX", 2)
    people = [make_person(session) for _ in range(4)]
    session.commit()
    at = datetime(2026, 10, 5, 9, tzinfo=UTC)
    refs = [p.external_ref for p in people] + ["U-nobody"]
    log = tmp_path / "access.log"
    log.write_text("".join(_line(at + timedelta(seconds=n), f"/app?uid={refs[n % 5]}") for n in range(20)))
    report = ingest_access_log(session=session, principal=MANAGER, path=log, workers=1)
    session.commit()
    assert report.stored == 20
    linked = session.execute(select(AccessLogEntry.person_id).order_by(AccessLogEntry.ts)).scalars().all()
    assert linked == [people[n % 5].id if n % 5 < 4 else None for n in range(20)]


def test_events_are_linked_by_user_id_and_bad_lines_rejected(session: Session, tmp_path: Path) -> None:
    person = make_person(session)
    session.commit()
    events = tmp_path / "events.jsonl"
    events.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "ts": "2026-10-05T09:00:00Z",
                        "user_ref": person.external_ref,
                        "session_id": "s1",
                        "feature": "invoices",
                        "action": "view",
                        "duration_ms": 1200,
                    }
                ),
                json.dumps({"ts": "2026-10-05T09:00:00", "feature": "x", "action": "y"}),  # no time zone
                "{not json",
            ]
        )
        + "\n"
    )
    report = ingest_events(session=session, principal=MANAGER, path=events)
    session.commit()
    assert (report.read, report.stored, report.rejected) == (3, 1, 2)
    assert session.scalar(select(UsageEvent.person_id)) == person.id
    assert {e.field for e in report.errors} >= {"ts"}
