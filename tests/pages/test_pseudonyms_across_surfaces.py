"""Issue 25 item 6: an auditor follows a person from a page to every export by the person's pseudonym.

On a copy of the demo database, every page the auditor may open is rendered (a request's page and a person's
inventory included), and the period's exports are made as the auditor: the XLSX workbook, the PDF
report and the evidence package (its CSVs, workbook and PDF). The person ids shown are read from all
of them, and:
- every one is the pseudonym of a demo person under the key (never a raw id, never a masked `1***`);
- one record shows one pseudonym everywhere: a request by its reference, an opt-out by its channel,
  purpose and
  time, on the page, in each CSV, workbook and the PDF; and it is the pseudonym of the person the
  database holds;
- the person the auditor looked up carries the same pseudonym in the audit log (page and exports);
- executives see no pseudonym and no person id at all.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard.exports.centre import export_evidence, export_pdf, export_workbook
from dashboard.imports.opendsr import export_statuses
from dashboard.privacy.pseudonyms import PATTERN, pseudonym
from dashboard.settings import pseudonym_key
from dashboard.ui.navigation import pages_for
from data_access.db import make_engine, session_factory
from data_access.models import Contact, Person, PreferenceEvent, SubjectRequest
from data_access.models.enums import PreferenceStatus, Role
from tests.conftest import DEMO_END
from tests.environment import SettingsMonkeyPatch
from tests.pages.conftest import PRINCIPALS, ROOT
from tests.pages.tabs import each_tab, open_tab

AUDITOR = PRINCIPALS[Role.AUDITOR]
SINCE = DEMO_END - timedelta(days=365)
UNTIL = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
NONE = {"", "None", "nan", "NaT", "<NA>"}  # an empty cell as a page, a CSV or a workbook writes it
Record = tuple[str, ...]  # a request's reference, or an opt-out's channel, purpose and time
REQUEST = re.compile(
    r"DSR-\d{4}-\d+"
)  # a subject request's reference (a legal request's names several people)


@pytest.fixture(scope="module")
def demo_copy(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    copy = tmp_path_factory.mktemp("pseudonyms") / "demo.db"
    shutil.copy(demo_database_url.removeprefix("sqlite:///"), copy)
    yield f"sqlite:///{copy}"


@pytest.fixture(scope="module")
def truth(demo_copy: str) -> dict[str, object]:
    """What the database holds: each demo person's pseudonym, each record's person, a person to look up."""
    engine = make_engine(demo_copy)
    key = pseudonym_key()
    with session_factory(engine)() as session:
        people = list(session.scalars(select(Person.id)))
        requests = {
            ref: pid
            for ref, pid in session.execute(select(SubjectRequest.reference, SubjectRequest.person_id))
        }
        e = PreferenceEvent
        opt_outs = {
            _opt_out_key(channel, purpose, at): pid
            for channel, purpose, at, pid in session.execute(
                select(e.channel, e.purpose, e.received_at, e.person_id).where(
                    e.new_status == PreferenceStatus.OPTED_OUT
                )
            )
        }
        looked_up = session.execute(
            select(Contact.person_id, Contact.email)
            .where(Contact.email.is_not(None))
            .order_by(Contact.person_id)
        ).first()
    engine.dispose()
    return {
        "pseudonyms": {pseudonym(key, pid): pid for pid in people},
        "records": {
            **{(ref,): pid for ref, pid in requests.items() if pid is not None},
            **{k: pid for k, pid in opt_outs.items() if pid is not None},
        },
        "looked_up": looked_up,
    }


@pytest.fixture(scope="module")
def shown(demo_copy: str, truth: dict[str, object]) -> dict[str, list[pd.DataFrame]]:
    """Every table the auditor is shown, per surface: each page, then each export file (in that order, so the
    person.view of the inventory page is in the exports' audit log)."""
    surfaces = {
        f"page {spec.slug}": _page_tables(demo_copy, spec.script, spec.slug, truth)
        for spec in pages_for(Role.AUDITOR)
    }
    return surfaces | _export_tables(demo_copy)


def _page_tables(url: str, script: str, slug: str, truth: dict[str, object]) -> list[pd.DataFrame]:
    with SettingsMonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.chdir(ROOT)
        app = AppTest.from_file(str(ROOT / script), default_timeout=60)
        app.session_state["principal"] = AUDITOR
        app.run()
        tables = []
        for run in each_tab(app, slug):  # every tab, each run alone
            assert not run.exception, run.exception
            tables += [frame.value for frame in run.dataframe]
            tables.append(_named_in_text(run))
        if slug == "requests":
            open_tab(app, "requests", "Request")
            chosen = next(s for s in app.selectbox if s.label == "Request")
            chosen.select(chosen.options[0]).run()
            tables += [
                frame.value.T for frame in app.dataframe if "value" in frame.value.columns
            ]  # the facts
        if slug == "inventory":
            _, email = truth["looked_up"]  # type: ignore[misc]
            next(t for t in app.text_input if t.label == "Find a person").input(email).run()
            tables += [frame.value for frame in app.dataframe]
        assert not app.exception, app.exception
        tables.append(_named_in_text(app))
    return tables


def _named_in_text(app: AppTest) -> pd.DataFrame:
    """The person a page names outside its tables: "Person X." above an inventory, "person-X-section" in the
    name of its downloads (the same name the CSV file and the audit entry get)."""
    captions = [
        m for c in app.caption for m in re.findall(r"Person (\S+)\.", c.value.replace("\\", ""))
    ]  # markdown
    downloads = [
        m
        for b in app.get("download_button")
        for m in re.findall(r"Download person-(.+)-[a-z_]+ \(CSV\)", b.proto.label)
    ]
    return pd.DataFrame({"person_id": captions + downloads}, dtype=object)


def _export_tables(url: str) -> dict[str, list[pd.DataFrame]]:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        period = {
            "session": session,
            "principal": AUDITOR,
            "since": SINCE,
            "until": UNTIL,
            "now": UNTIL,
            "tz": "UTC",
        }
        workbook = export_workbook(**period)  # type: ignore[arg-type]
        pdf = export_pdf(**period)  # type: ignore[arg-type]
        package = export_evidence(**period)  # type: ignore[arg-type]
        opendsr = export_statuses(session=session, only_opendsr=False)
        session.commit()
    engine.dispose()
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert not [k for status in opendsr for k in status if "person" in k or "identit" in k]  # names no person
    return {
        "xlsx": _sheets(workbook),
        "pdf": [_pdf_rows(pdf)],
        "evidence registers.xlsx": _sheets(files["registers.xlsx"]),
        "evidence report.pdf": [_pdf_rows(files["report.pdf"])],
        "evidence csv": [
            pd.read_csv(io.StringIO(body.decode()), dtype=str, keep_default_na=False)
            for name, body in files.items()
            if name.endswith(".csv")
        ],
    }


# a workbook's headers are the register's labels (presentation.columns); these name what this test reads
SHEET_HEADERS = {
    "Person": "person_id",
    "Object": "object_id",
    "Object type": "object_type",
    "Reference": "reference",
    "Channel": "channel",
    "Purpose": "purpose",
    "Received": "received_at",
    "Action": "action",
}


def _sheets(content: bytes) -> list[pd.DataFrame]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    frames = []
    for sheet in book.worksheets:
        rows = [[str(v) if v is not None else "" for v in row] for row in sheet.iter_rows(values_only=True)]
        if rows and ("Person" in rows[0] or "Object" in rows[0]):
            frames.append(pd.DataFrame(rows[1:], columns=[SHEET_HEADERS.get(h, h) for h in rows[0]]))
    return frames


def _pdf_rows(content: bytes) -> pd.DataFrame:
    """The PDF's text lines (a table row is one line with -layout), with the pseudonyms each holds."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, check=True, capture_output=True
    ).stdout
    lines = text.decode().splitlines()
    return pd.DataFrame({"line": lines, "person_id": [",".join(PATTERN.findall(line)) for line in lines]})


def _opt_out_key(channel: object, purpose: object, at: object) -> Record:
    stamp = pd.Timestamp(str(at))
    stamp = (stamp.tz_convert(None) if stamp.tzinfo else stamp).floor(
        "min"
    )  # naive UTC in a workbook; pages show minutes
    # pages show codes by name ("Marketing") where files keep the code ("marketing")
    return (
        str(getattr(channel, "value", channel)).lower(),
        str(getattr(purpose, "value", purpose)).lower(),
        stamp.isoformat(),
    )


def _people_in(frame: pd.DataFrame) -> list[str]:
    """The person ids a table shows: its person_id column, and the audit entries about a person."""
    values = [str(v) for v in frame.get("person_id", pd.Series(dtype=object)) if str(v) not in NONE]
    if {"object_type", "object_id"} <= set(frame.columns):
        values += [str(v) for v in frame.loc[frame["object_type"] == "person", "object_id"]]
    return [part for value in values for part in value.split(",") if part]


def _records(frame: pd.DataFrame) -> dict[Record, str]:
    """Record -> pseudonym for the rows of a table that name a request or an opt-out and a person."""
    found: dict[Record, str] = {}
    if "person_id" not in frame.columns:
        return found
    if "line" in frame.columns:  # a PDF line: the request log's rows start with the reference
        for line, person in zip(frame["line"], frame["person_id"], strict=True):
            reference = re.match(rf"\s*({REQUEST.pattern})\s+P-", line)
            if reference and person and "," not in person:
                found[(reference.group(1),)] = person
        return found
    for _, row in frame.iterrows():
        person = row["person_id"]
        if str(person) in NONE:
            continue
        if "reference" in frame.columns and REQUEST.fullmatch(str(row["reference"])):
            found[(str(row["reference"]),)] = str(person)
        elif {"channel", "purpose", "received_at"} <= set(frame.columns):
            found[_opt_out_key(row["channel"], row["purpose"], row["received_at"])] = str(person)
    return found


def test_every_person_id_an_auditor_is_shown_is_a_demo_persons_pseudonym(shown, truth) -> None:  # type: ignore[no-untyped-def]
    pseudonyms = truth["pseudonyms"]
    for surface, tables in shown.items():
        people = [p for frame in tables for p in _people_in(frame)]
        strangers = [p for p in people if p not in pseudonyms]
        assert not strangers, f"{surface} shows person ids that are not pseudonyms: {strangers[:5]}"
    for surface in (
        "page requests",
        "page communications",
        "page inventory",
        "page audit",
        "xlsx",
        "pdf",
        "evidence csv",
        "evidence registers.xlsx",
        "evidence report.pdf",
    ):
        assert [p for frame in shown[surface] for p in _people_in(frame)], f"{surface} shows no person at all"


def test_one_record_shows_its_persons_pseudonym_on_the_page_and_in_every_export(shown, truth) -> None:  # type: ignore[no-untyped-def]
    key = pseudonym_key()
    seen: dict[Record, dict[str, str]] = {}
    for surface, tables in shown.items():
        for frame in tables:
            for record, person in _records(frame).items():
                seen.setdefault(record, {})[surface] = person
    followed = {record: where for record, where in seen.items() if len(where) > 1}
    pages_and_files = [
        r
        for r, where in followed.items()
        if any(s.startswith("page") for s in where) and any(not s.startswith("page") for s in where)
    ]
    assert len(pages_and_files) >= 20, (
        f"too few records to follow from a page into the exports: {len(pages_and_files)}"
    )
    assert any("pdf" in where and "page requests" in where for where in followed.values())
    for record, where in seen.items():
        assert len(set(where.values())) == 1, f"{record} shows as {where}"
        assert record in truth["records"], record
        assert set(where.values()) == {pseudonym(key, truth["records"][record])}, (record, where)


def test_the_person_an_auditor_looked_up_has_the_same_pseudonym_in_the_audit_log(shown, truth) -> None:  # type: ignore[no-untyped-def]
    person_id, _ = truth["looked_up"]
    expected = pseudonym(pseudonym_key(), person_id)
    assert expected in {p for frame in shown["page inventory"] for p in _people_in(frame)}
    for surface in ("xlsx", "evidence csv"):
        audit = [f for f in shown[surface] if "object_type" in f.columns]
        viewed = {p for frame in audit for p in _people_in(frame[frame["action"] == "person.view"])}
        assert expected in viewed, surface


@pytest.mark.parametrize("spec", pages_for(Role.EXECUTIVE), ids=lambda spec: spec.slug)
def test_an_executive_sees_no_person_id_and_no_pseudonym(app_for, spec) -> None:  # type: ignore[no-untyped-def]
    app = app_for(spec.script, Role.EXECUTIVE).run()
    assert not app.exception
    for frame in (f.value for f in app.dataframe):
        assert not {"person_id", "object_id"} & set(frame.columns)
        assert not PATTERN.search(frame.to_csv())
