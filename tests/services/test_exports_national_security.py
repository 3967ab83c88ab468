"""Every export reports national security process only in the bands of 50 U.S.C. 1874(a)(3) (issue
25, item 3), from the one rule (dashboard.rules.transparency): the PDF, the workbook and the
evidence package list no national security request and count none among the requests from
authorities; they show its half-year in bands, with the statute named. The demo database holds
exactly one national security request in the period, for 1-3 accounts."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from dashboard.auth.service import Principal
from dashboard.exports.centre import export_evidence
from data_access.db import session_factory
from data_access.models import LegalRequest
from data_access.models.enums import LegalRequestType
from tests.conftest import DEMO_END
from tests.services.test_exports_readable import (
    AUDITOR,
    MANAGER,
    SINCE,
    UNTIL,
    _book,
    _column,
    _pdf_text,
    _sheet,
)

SECRET = "Undisclosed agency"  # the demo's national security request's authority


@pytest.fixture
def one_request(demo: Engine) -> tuple[str, int]:
    """The reference of the one national security request, and how many other requests the period holds."""
    with session_factory(demo)() as session:
        rows = session.execute(
            select(LegalRequest.reference, LegalRequest.request_type).where(
                LegalRequest.received_at >= SINCE, LegalRequest.received_at < UNTIL
            )
        ).all()
    security = [ref for ref, kind in rows if kind == LegalRequestType.NATIONAL_SECURITY]
    assert len(security) == 1, rows
    return security[0], len(rows) - 1


@pytest.mark.parametrize("principal", [MANAGER, AUDITOR])
def test_the_pdf_shows_national_security_process_only_in_bands(
    demo: Engine, one_request: tuple[str, int], principal: Principal, tmp_path: Path
) -> None:
    reference, others = one_request
    text = _pdf_text(demo, principal, tmp_path)
    flat = " ".join(text.split())
    assert reference not in text and SECRET not in text
    assert f"Requests from authorities ({others})" in flat  # the national security request is not counted
    assert f"Requests from authorities (national security apart) {others}" in flat  # the summary
    banded = flat.split("National security process")[-1]
    assert re.search(r"2026-H2 0-249 0-249", banded), banded[:400]
    assert "50 U.S.C. 1874" in banded


@pytest.mark.parametrize("principal", [MANAGER, AUDITOR])
def test_the_workbook_shows_national_security_process_only_in_bands(
    demo: Engine, one_request: tuple[str, int], principal: Principal
) -> None:
    reference, others = one_request
    book = _book(demo, principal)
    cells = {
        str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
    }
    assert not [c for c in cells if reference in c or SECRET in c]
    authorities = _sheet(book, "Requests from authorities")
    kinds = _column(authorities, "Request type")
    assert len(kinds) == others and "national security" not in kinds
    bands = _sheet(book, "National security")
    assert _column(bands, "National-security requests") == ["0-249"]
    assert _column(bands, "Accounts specified") == ["0-249"]
    assert all("50 U.S.C. 1874" in str(basis) for basis in _column(bands, "Basis"))


def test_the_evidence_package_holds_no_national_security_request(
    demo: Engine, one_request: tuple[str, int]
) -> None:
    reference, _ = one_request
    with session_factory(demo)() as session:
        package = export_evidence(
            session=session, principal=AUDITOR, since=SINCE, until=UNTIL, now=DEMO_END, tz="UTC"
        )
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        texts = {name: archive.read(name) for name in archive.namelist()}
    for name, content in texts.items():
        assert reference.encode() not in content and SECRET.encode() not in content, name
    assert b"national_security" not in texts["csv/legal_requests.csv"]
    assert b"0-249" in texts["csv/national_security.csv"]
    openpyxl.load_workbook(io.BytesIO(texts["registers.xlsx"]))  # still a workbook


def test_the_audit_sheet_withholds_what_entries_say_of_national_security_process(demo: Engine) -> None:
    """The audit entry of a national security request records its type and accounts: an export shows the entry
    (the trail stays whole) with its details withheld, for a manager too."""
    from datetime import UTC, datetime, timedelta

    from dashboard.exports.centre import export_workbook
    from dashboard.rules.transparency import NATIONAL_SECURITY_WITHHELD
    from dashboard.services.legal_register import LegalRequestInput, log_legal_request
    from data_access.models import Person

    with session_factory(demo)() as session:
        people = tuple(session.execute(select(Person.id).limit(7)).scalars())
        log_legal_request(
            session=session,
            principal=MANAGER,
            entry=LegalRequestInput(
                "Audit-test agency",
                "US",
                LegalRequestType.NATIONAL_SECURITY,
                UNTIL - timedelta(days=3),
                people,
            ),
        )
        session.commit()
        until = datetime.now(UTC) + timedelta(days=1)  # the entry is written now
        book = openpyxl.load_workbook(
            io.BytesIO(
                export_workbook(
                    session=session, principal=MANAGER, since=SINCE, until=until, tz="UTC", now=until
                )
            )
        )
    audit = _sheet(book, "Audit log")
    actions = _column(audit, "Action")
    details = [str(d) for a, d in zip(actions, _column(audit, "Details"), strict=True) if a == "legal.log"]
    assert details == [NATIONAL_SECURITY_WITHHELD], details
