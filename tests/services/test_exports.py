"""Exports on SQLite and PostgreSQL: formula injection neutralised in every CSV and XLSX, the evidence package
verifies with sha256sum -c, the PDF renders to pages, reports read the past as it stood, auditors
get masks."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from dashboard.audit.log import record
from dashboard.auth.service import Principal
from dashboard.demo.generate import load_demo
from dashboard.exports.centre import export_evidence, export_pdf, export_workbook
from dashboard.privacy.pseudonyms import key_id
from dashboard.services.request_intake import RequestIntake, create_request
from dashboard.services.request_workflow import change_status
from dashboard.settings import pseudonym_key
from data_access.db import session_factory
from data_access.models import Contact, Person, SharingRecord
from data_access.models.enums import RequestChannel, RequestStatus, RequestType, Role
from data_access.queries.registers_period import requests_as_of
from tests.conftest import DEMO_END
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
AUDITOR = Principal("auditor", "Avery Auditor", Role.AUDITOR)
EVIL = '=HYPERLINK("http://x","y")'
SINCE, UNTIL = datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)


@pytest.fixture
def demo(engine: Engine) -> Engine:
    load_demo(engine, users=150, days=120, seed=4, end=DEMO_END)
    with session_factory(engine)() as session:
        person = make_person(session, name=EVIL, email="evil@example.com")
        create_request(
            session=session,
            principal=MANAGER,
            intake=RequestIntake(
                requester_name=EVIL,
                request_type=RequestType.ACCESS,
                channel=RequestChannel.EMAIL,
                received_at=datetime(2026, 10, 20, tzinfo=UTC),
                requester_email="evil@example.com",
                country="US",
                person_id=person.id,
            ),
        )
        session.commit()
    return engine


def _package(engine: Engine, principal: Principal) -> dict[str, bytes]:
    with session_factory(engine)() as session:
        package = export_evidence(
            session=session, principal=principal, since=SINCE, until=UNTIL, now=DEMO_END, tz="UTC"
        )
        session.commit()
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_formula_name_is_text_in_every_csv_and_xlsx_export(demo: Engine) -> None:
    files = _package(demo, MANAGER)
    csv_hits = [name for name, body in files.items() if name.endswith(".csv") and b"HYPERLINK" in body]
    assert "csv/subject_requests.csv" in csv_hits
    for name in csv_hits:
        for line in files[name].decode().splitlines():
            if "HYPERLINK" in line:
                assert "'=HYPERLINK" in line and ",=HYPERLINK" not in line and not line.startswith("="), (
                    name,
                    line,
                )
    with session_factory(demo)() as session:
        standalone = export_workbook(
            session=session, principal=MANAGER, since=SINCE, until=UNTIL, tz="UTC", now=UNTIL
        )
    for workbook_bytes in (files["registers.xlsx"], standalone):
        book = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
        cells = [
            c
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for c in row
            if isinstance(c.value, str) and "HYPERLINK" in c.value
        ]
        assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


def test_the_evidence_package_verifies_with_sha256sum(demo: Engine, tmp_path: Path) -> None:
    files = _package(demo, MANAGER)
    for name, body in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    assert {
        "report.pdf",
        "registers.xlsx",
        "audit-chain.json",
        "checks.json",
        "csv/audit_log.csv",
        "SHA256SUMS",
    } <= set(files)
    assert b'"ok": true' in files["audit-chain.json"]
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum (coreutils) is missing")
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == len(files) - 1, check.stdout


def test_the_pdf_report_renders_to_png_pages(demo: Engine, tmp_path: Path) -> None:
    with session_factory(demo)() as session:
        pdf = export_pdf(session=session, principal=AUDITOR, since=SINCE, until=UNTIL, now=DEMO_END, tz="UTC")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing: apt-get install poppler-utils")
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 2000 for p in pages)


def test_auditor_exports_are_masked(demo: Engine) -> None:
    files = _package(demo, AUDITOR)
    requests_csv = files["csv/subject_requests.csv"].decode()
    assert "evil@example.com" not in requests_csv and "e***@example.com" in requests_csv
    assert b"evil@example.com" not in files["report.pdf"]


def _package_text(files: dict[str, bytes], tmp_path: Path) -> str:
    """Everything a reader of the package can read: the CSVs and JSON as text, every workbook cell,
    the PDF's text."""
    texts = [body.decode() for name, body in files.items() if name.endswith((".csv", ".json", ".txt"))]
    workbook = openpyxl.load_workbook(io.BytesIO(files["registers.xlsx"]), read_only=True)
    texts += [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    (tmp_path / "report.pdf").write_bytes(files["report.pdf"])
    texts.append(
        subprocess.run(
            ["pdftotext", str(tmp_path / "report.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    return "\n".join(texts)


def test_the_masked_evidence_package_holds_no_persons_data_even_in_free_text(
    demo: Engine, tmp_path: Path
) -> None:
    """`--masked` (the auditor's view): no email, phone, full name or username of a demo person in
    any file, free text included (a sharing record's description naming one), and no raw id in a
    person_id column."""
    with session_factory(demo)() as session:
        name, email, phone = session.execute(
            select(Contact.full_name, Contact.email, Contact.phone)
            .where(Contact.email.is_not(None), Contact.phone.is_not(None))
            .order_by(Contact.person_id)
        ).first()
        sharing = session.scalars(
            select(SharingRecord).where(SharingRecord.shared_at >= SINCE, SharingRecord.shared_at < UNTIL)
        ).first()
        sharing.description = f"Sent after {name} ({email}, {phone}) asked for it."
        values = {
            v for row in session.execute(select(Contact.email, Contact.full_name, Contact.phone)) for v in row
        }
        values |= set(session.scalars(select(Person.username)))
        session.commit()
    values = {v for v in values if v and len(v) >= 4 and not v.startswith("=")}
    files = _package(demo, AUDITOR)
    text = _package_text(files, tmp_path)
    leaked = sorted(v for v in values if v in text)
    assert not leaked, leaked[:5]
    for name in (name for name in files if name.endswith(".csv")):
        rows = csv.DictReader(io.StringIO(files[name].decode()))
        if "person_id" in (rows.fieldnames or []):
            ids = [row["person_id"] for row in rows]
            assert not [i for i in ids if i.isdigit()], (name, ids[:3])


def test_a_report_for_a_past_period_shows_request_status_as_it_was(session) -> None:  # type: ignore[no-untyped-def]
    request = create_request(
        session=session,
        principal=MANAGER,
        intake=RequestIntake(
            requester_name="A",
            request_type=RequestType.OBJECTION,
            channel=RequestChannel.EMAIL,
            received_at=datetime(2026, 9, 1, tzinfo=UTC),
            requester_email="a@example.com",
            country="US",
        ),
    )
    for target, day in ((RequestStatus.IN_PROGRESS, 3), (RequestStatus.COMPLETED, 20)):
        change_status(
            session=session,
            principal=MANAGER,
            request_id=request.id,
            expected_version=request.version,
            target=target,
            reason="done",
            now=datetime(2026, 9, day, tzinfo=UTC),
        )
    session.commit()

    def status(until: datetime) -> str:
        frame = requests_as_of(session=session, since=datetime(2026, 9, 1, tzinfo=UTC), until=until)
        return str(frame.loc[frame["reference"] == request.reference, "status_as_of"].iloc[0])

    assert status(datetime(2026, 9, 2, tzinfo=UTC)) == "received"
    assert status(datetime(2026, 9, 10, tzinfo=UTC)) == "in_progress"
    assert status(datetime(2026, 10, 1, tzinfo=UTC)) == "completed"
    early = requests_as_of(
        session=session, since=datetime(2026, 9, 1, tzinfo=UTC), until=datetime(2026, 9, 10, tzinfo=UTC)
    )
    assert early["closed_at"].isna().all()  # the close had not happened yet


def test_the_workbook_reads_without_help_cover_filters_widths_full_names(demo: Engine) -> None:
    """A cover sheet (period, as of, generated by, the audit head of the package, how to verify), then every
    register with a frozen header, a filter and readable widths; a register name over Excel's 31 characters is
    given in full on the cover."""
    files = _package(demo, AUDITOR)
    book = openpyxl.load_workbook(io.BytesIO(files["registers.xlsx"]))
    cover = book.worksheets[0]
    assert cover.title == "About"
    lines = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row[0] and len(row) > 1}
    head = json.loads(files["audit-chain.json"])["head_hash"]
    assert lines["Audit log head"] == head and "2026-08-01 to 2026-11-03" in lines["Period"]
    assert "auditor" in lines["Generated"] and "masked" in lines["Personal data"]
    assert "compliance audit verify --head" in lines["How to verify"]
    assert (
        key_id(pseudonym_key()) in lines["Person pseudonyms"]
    )  # which key, so files can be compared (item 6)
    registers = [row[1] for row in cover.iter_rows(values_only=True) if row[0] in book.sheetnames[1:]]
    assert "Subject requests" in registers
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, sheet.title
    requests = book["Subject requests"]
    header = [c.value for c in requests[1]]
    assert "Overdue" in header
    email = requests.column_dimensions[openpyxl.utils.get_column_letter(header.index("Requester email") + 1)]
    assert email.width and email.width >= 15


def test_long_register_names_get_unique_sheet_names() -> None:
    from dashboard.exports.workbook import SHEET_NAME_LIMIT, sheet_names

    long = "evidence_erasure-recipients-notified"
    names = sheet_names(["subject_requests", long, long + "-2", "About"])
    assert names["subject_requests"] == "subject_requests"
    assert len(set(names.values())) == 4 and all(len(n) <= SHEET_NAME_LIMIT for n in names.values())
    assert names["About"] != "About"


def test_the_pdf_chart_counts_only_the_months_of_the_period_and_tables_never_split_a_word() -> None:
    import pandas as pd

    from dashboard.exports.pdf_report import ReportPdf, _column_widths, _received_per_month

    requests = pd.DataFrame(
        {
            "received_at": [
                datetime(2026, 8, 3, tzinfo=UTC),
                datetime(2026, 11, 9, tzinfo=UTC),
                datetime(2026, 11, 20, tzinfo=UTC),
            ]
        }
    )
    points = _received_per_month(
        requests, datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert points == [("2026-11", 2.0), ("2026-12", 0.0)]
    pdf = ReportPdf()
    pdf.add_page()
    pdf.set_font(pdf.family, "", 7)
    header = ["reference", "request type", "status as of", "notification/s", "days overdue"]
    rows = [["SR-2026-000123", "deletion", "in_progress", "notification/s", "12"]] * 3
    widths = _column_widths(pdf, header, rows)
    assert abs(sum(widths) - pdf.epw) < 0.01
    for column, width in zip(zip(header, *rows, strict=True), widths, strict=True):
        assert width > max(pdf.get_string_width(w) for text in column for w in text.split()), column


def test_typed_values_of_failed_sign_ins_are_withheld_from_every_export(demo: Engine) -> None:
    """Item 1: a failed sign-in recorded what was typed as its actor (before typed values were
    digested) and the masked evidence package showed it in clear. Such entries are shown as
    "anonymous" in every export."""
    with session_factory(demo)() as session:
        record(
            session=session,
            actor="victim@example.com",
            role="anonymous",
            action="auth.sign_in_failed",
            details={"reason": "unknown or disabled account"},
            now=datetime(2026, 10, 21, tzinfo=UTC),
        )
        session.commit()
    for principal in (AUDITOR, MANAGER):
        files = _package(demo, principal)
        audit_csv = files["csv/audit_log.csv"].decode()
        assert "auth.sign_in_failed" in audit_csv and "victim@example.com" not in audit_csv
        book = openpyxl.load_workbook(io.BytesIO(files["registers.xlsx"]))
        cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        assert "auth.sign_in_failed" in cells and not any("victim@" in str(value) for value in cells)
        assert b'"ok": true' in files["audit-chain.json"]  # the stored entry itself is unchanged


def test_pdf_cells_show_an_unmatched_person_as_a_dash_and_an_id_as_an_integer() -> None:
    """The request log's person column has gaps (requests no person was matched to), so pandas reads
    a manager's ids as floats: 1234.0 prints as 1234, not 1.23e+03, and a gap as "—", not "nan"
    (presentation.cells)."""
    import pandas as pd

    from dashboard.presentation.cells import readable_text

    shown = readable_text(pd.DataFrame({"person_id": [1234.0, float("nan"), None, "P-ABC"]}))
    assert list(shown.columns) == ["Person"] and shown["Person"].tolist() == ["1234", "—", "—", "P-ABC"]
