"""Access packages on SQLite and PostgreSQL: the content equals the per-person inventory, every file's
SHA-256 is in the manifest and passes `sha256sum -c`, and gagged disclosures stay out."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.auth.service import Principal
from dashboard.demo.generate import load_demo
from dashboard.fulfilment.access_package import fulfil_access
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.services.request_workflow import change_status
from data_access.db import session_factory
from data_access.models import AccessLogEntry, LegalRequest, LegalRequestPerson, SubjectRequest
from data_access.models.enums import RequestChannel, RequestStatus, RequestType, Role
from data_access.queries.person_inventory import person_inventory
from tests.conftest import DEMO_END

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
NOW = datetime(2026, 11, 3, 9, tzinfo=UTC)


@pytest.fixture
def demo(engine: Engine) -> Engine:
    load_demo(engine, users=150, days=60, seed=3, end=DEMO_END)
    return engine


def _access_request(session: Session, person_id: int) -> SubjectRequest:
    request = create_request(
        session=session,
        principal=MANAGER,
        intake=RequestIntake(
            requester_name="A",
            request_type=RequestType.ACCESS,
            channel=RequestChannel.WEB_FORM,
            received_at=NOW,
            requester_email="a@example.com",
            country="US",
            person_id=person_id,
        ),
    )
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=RequestStatus.IN_PROGRESS,
    )
    return request


def _unzip(content: bytes, into: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(into)
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_package_holds_exactly_the_inventory_and_verifies(demo: Engine, tmp_path: Path) -> None:
    with session_factory(demo)() as session:
        person_id = int(
            session.scalar(
                select(AccessLogEntry.person_id)
                .where(AccessLogEntry.person_id.is_not(None))
                .group_by(AccessLogEntry.person_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        )
        request = _access_request(session, person_id)
        package = fulfil_access(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            now=NOW,
        )
        inventory = person_inventory(session=session, person_id=person_id, for_subject=True, today=NOW.date())
        session.commit()
        assert request.package_sha256 == package.sha256
    assert inventory is not None
    files = _unzip(package.content, tmp_path)
    for section, rows in inventory.sections.items():
        assert _same(json.loads(files[f"data/{section}.json"]), rows), section
    assert inventory.sections["contact"] and inventory.sections["web_activity"][0]["requests"] > 0
    manifest = json.loads(files["manifest.json"])
    assert set(manifest["files"]) == {n for n in files if n not in ("manifest.json", "SHA256SUMS")}
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr


def _same(from_json: list[dict[str, object]], rows: list[dict[str, object]]) -> bool:
    """JSON holds ISO strings where the inventory holds dates: compare through the same conversion."""

    def iso(value: object) -> object:
        return value.isoformat() if isinstance(value, datetime | date) else value

    return from_json == [{k: iso(v) for k, v in row.items()} for row in rows]


def test_a_disclosure_under_a_gag_order_is_left_out_and_said_so(demo: Engine, tmp_path: Path) -> None:
    with session_factory(demo)() as session:
        person_id = int(session.scalar(select(func.min(AccessLogEntry.person_id))))
        gagged = LegalRequest(
            reference="LR-GAG",
            authority="Court",
            jurisdiction="US",
            request_type="court_order",
            received_at=NOW - timedelta(days=5),
            recorded_by="t",
            categories_disclosed=[],
            notice_prohibited_until=NOW.date() + timedelta(days=90),
        )
        session.add(gagged)
        session.flush()
        session.add(LegalRequestPerson(legal_request_id=gagged.id, person_id=person_id))
        request = _access_request(session, person_id)
        package = fulfil_access(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            now=NOW,
        )
        full = person_inventory(session=session, person_id=person_id, today=NOW.date())
    files = _unzip(package.content, tmp_path)
    assert full is not None and any(d["authority"] == "Court" for d in full.sections["legal_disclosures"])
    assert "Court" not in files["data/legal_disclosures.json"].decode()
    assert "Court" not in files["cover.html"].decode() and "Court" not in files["cover.json"].decode()
    assert b"prohibiting notice" in files["README.txt"]


def test_a_deletion_request_does_not_produce_a_package(session: Session) -> None:
    from dashboard.rules.request_workflow import WorkflowError
    from tests.factories import make_person

    person = make_person(session)
    request = create_request(
        session=session,
        principal=MANAGER,
        intake=RequestIntake(
            requester_name="A",
            request_type=RequestType.DELETION,
            channel=RequestChannel.WEB_FORM,
            received_at=NOW,
            requester_email="a@example.com",
            country="US",
            person_id=person.id,
        ),
    )
    change_status(
        session=session,
        principal=MANAGER,
        request_id=request.id,
        expected_version=request.version,
        target=RequestStatus.IN_PROGRESS,
    )
    with pytest.raises(WorkflowError) as error:
        fulfil_access(
            session=session, principal=MANAGER, request_id=request.id, expected_version=request.version
        )
    assert error.value.field == "request_type"


def test_the_cover_says_what_article_15_asks_for_in_words_a_person_reads(
    demo: Engine, tmp_path: Path
) -> None:
    """Art. 15(1)(a)-(h) and (2): purposes, categories by name, the recipients this person's data went to,
    retention, the rights to rectify, erase, restrict and object, the complaint route, the sources other than
    the person, automated decisions and transfers abroad; in cover.html and cover.json."""
    from data_access.models import Person, Recipient, SharingRecord, SharingRecordPerson

    with session_factory(demo)() as session:
        person_id, recipient = session.execute(
            select(SharingRecordPerson.person_id, Recipient.name)
            .join(SharingRecord, SharingRecord.id == SharingRecordPerson.sharing_record_id)
            .join(Recipient, Recipient.id == SharingRecord.recipient_id)
            .limit(1)
        ).one()
        session.get(Person, person_id).country = "DE"
        request = create_request(
            session=session,
            principal=MANAGER,
            intake=RequestIntake(
                requester_name="A",
                request_type=RequestType.ACCESS,
                channel=RequestChannel.WEB_FORM,
                received_at=NOW,
                requester_email="a@example.com",
                country="DE",
                person_id=person_id,
            ),
        )
        change_status(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            target=RequestStatus.IN_PROGRESS,
        )
        package = fulfil_access(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            now=NOW,
        )
    files = _unzip(package.content, tmp_path)
    cover = json.loads(files["cover.json"])
    page = files["cover.html"].decode()
    names = {c["category"] for c in cover["categories"]}
    assert "User Contact Email" in names and not any(n.startswith("user.") for n in names)
    assert all(c["purposes"] and c["retention"] and c["legal_bases"] for c in cover["categories"])
    assert recipient in {r["recipient"] for r in cover["recipients"]} and recipient in page
    assert {"Rectification", "Erasure", "Restriction", "Objection"} <= {r["right"] for r in cover["rights"]}
    assert "supervisory authority" in cover["complaint"]["how"] and "Art. 77" in cover["complaint"]["source"]
    assert any("collected automatically" in s for s in cover["sources_other_than_you"])
    assert cover["automated_decisions"] and cover["transfers_abroad"]
    assert "user.contact" not in page and "Essential" in page
    assert b"cover.html" in files["README.txt"]


def test_the_cover_escapes_what_it_prints() -> None:
    from dashboard.fulfilment.access_cover import render_cover_html

    cover = {
        "reference": "R<1>",
        "generated": NOW.isoformat(),
        "controller": {"name": "IB", "contact": "x"},
        "law": "EU GDPR",
        "categories": [],
        "recipients": [
            {
                "recipient": "<script>alert(1)</script>",
                "kind": "k",
                "times": 1,
                "first": None,
                "last": None,
                "categories": [],
                "purposes": [],
            }
        ],
        "sources_other_than_you": [],
        "automated_decisions": "none",
        "transfers_abroad": None,
        "rights": [],
        "complaint": {"how": "h", "source": "s"},
        "withheld": [],
    }
    page = render_cover_html(cover)
    assert "<script>" not in page and "&lt;script&gt;" in page and "R&lt;1&gt;" in page
