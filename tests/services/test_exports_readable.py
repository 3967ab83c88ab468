"""The PDF report and the XLSX workbook read without help (issue 25, items 4 and 6): headers, units
and formats from the one column register (dashboard.presentation.columns), never a stored name
(`requester_email`), "None" or "nan"; laws and data categories by name; moments in one format with
the zone; late requests as "67 days overdue"; every policy check by its title; chart months as "Aug
2026"."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine

from dashboard.auth.service import Principal
from dashboard.checks.catalogue import CHECKS
from dashboard.exports.centre import export_pdf, export_workbook
from dashboard.inventory.labels import category_name
from dashboard.rules.regimes import OPTOUT_RULE_LABELS, REGIME_LABELS
from data_access.db import session_factory
from data_access.models.enums import Role
from tests.conftest import DEMO_END

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
AUDITOR = Principal("auditor", "Avery Auditor", Role.AUDITOR)
SINCE, UNTIL = datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
FIDES_KEY = re.compile(r"\buser(?:\.[a-z_]+)+")


def _book(engine: Engine, principal: Principal) -> openpyxl.Workbook:
    with session_factory(engine)() as session:
        content = export_workbook(
            session=session, principal=principal, since=SINCE, until=UNTIL, tz="UTC", now=DEMO_END
        )
    return openpyxl.load_workbook(io.BytesIO(content))


def _pdf_text(engine: Engine, principal: Principal, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    with session_factory(engine)() as session:
        pdf = export_pdf(
            session=session, principal=principal, since=SINCE, until=UNTIL, now=DEMO_END, tz="UTC"
        )
    (tmp_path / "report.pdf").write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _sheet(book: openpyxl.Workbook, title: str):  # type: ignore[no-untyped-def]
    return next(sheet for sheet in book.worksheets if sheet.title.startswith(title))


def _column(sheet, header: str) -> list[object]:  # type: ignore[no-untyped-def]
    headers = [c.value for c in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("principal", [MANAGER, AUDITOR])
def test_every_sheet_has_human_headers_and_no_none_or_nan_cell(demo: Engine, principal: Principal) -> None:
    book = _book(demo, principal)
    for sheet in book.worksheets:
        assert not SNAKE.fullmatch(sheet.title), sheet.title
        headers = [c.value for c in sheet[1]] if sheet.title != "About" else []
        assert not [h for h in headers if SNAKE.search(str(h))], (sheet.title, headers)
        for row in sheet.iter_rows(values_only=True):
            bad = [v for v in row if isinstance(v, str) and v.strip() in ("None", "nan", "NaT", "<NA>")]
            assert not bad, (sheet.title, row)


def test_workbook_cells_name_laws_and_categories_and_carry_units_and_the_zone(demo: Engine) -> None:
    book = _book(demo, MANAGER)
    requests = _sheet(book, "Subject requests")
    laws = {v for v in _column(requests, "Law") if v}
    assert laws and laws <= set(REGIME_LABELS.values()), laws
    received = [
        c for c in next(col for col in requests.iter_cols() if col[0].value == "Received")[1:] if c.value
    ]
    assert received and all(isinstance(c.value, datetime) and "UTC" in c.number_format for c in received)
    overdue = [
        c for c in next(col for col in requests.iter_cols() if col[0].value == "Overdue")[1:] if c.value
    ]
    assert overdue and all("days overdue" in c.number_format for c in overdue)
    sharing = _sheet(book, "Sharing records")
    categories = [str(v) for v in _column(sharing, "Data categories") if v]
    assert categories and not [c for c in categories if FIDES_KEY.search(c)], categories[:3]
    assert any(category_name("user.contact.email") in c for c in categories)
    checks = _sheet(book, "Policy checks")
    assert {spec.title for spec in CHECKS} <= set(_column(checks, "Check"))


@pytest.mark.parametrize("principal", [MANAGER, AUDITOR])
def test_the_pdf_reads_without_help(demo: Engine, principal: Principal, tmp_path: Path) -> None:
    text = _pdf_text(demo, principal, tmp_path)
    snake = sorted(set(SNAKE.findall(text)))
    assert not snake, snake
    assert not re.search(r"\b(None|nan|NaT)\b", text)
    assert not FIDES_KEY.search(text)
    assert re.search(r"\b\d+ days? overdue\b", text)  # a late request, as pages word it
    assert not re.search(r"(?<![\d-])\d{2}-(0[1-9]|1[0-2])(?![\d-])", text), "months read as 26-08"
    assert "Aug 2026" in text and "Oct 2026" in text
    assert any(name in text for name in REGIME_LABELS.values() if name != "No specific law")
    flat = " ".join(text.split())
    missing = [spec.title for spec in CHECKS if spec.title not in flat]
    assert not missing, missing
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", text)  # moments in one format with the zone


def test_the_pdf_names_opt_out_rules_by_their_law(demo: Engine, tmp_path: Path) -> None:
    """The honour-times table reads "CAN-SPAM Act (email)" (rules.regimes), never the code "can-spam"."""
    text = " ".join(_pdf_text(demo, MANAGER, tmp_path).split())
    table = text.split("Opt-outs honoured, by rule")[1].split("Promotional messages after")[0]
    assert not re.search(r"\b(can-spam|tcpa|ccpa-sale|gpc|gdpr-objection)\b", table), table
    assert OPTOUT_RULE_LABELS["can-spam"] in table and OPTOUT_RULE_LABELS["tcpa"] in table
