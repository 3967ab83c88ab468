"""The compliance report for a period as a PDF (fpdf2): summary figures, two charts, check results,
the request log, sharing, disclosures and opt-outs. Charts are drawn with the PDF's own shapes, so
no browser or image renderer is needed. Text uses DejaVu Sans when the system has it (any name
prints); otherwise the core font, with characters outside Latin-1 replaced and that said on page 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd
from fpdf import FPDF

from dashboard.exports.registers import PeriodRegisters
from dashboard.presentation import format as fmt
from dashboard.presentation.cells import readable_text, with_category_names
from dashboard.presentation.columns import spec_for
from dashboard.rules.transparency import NATIONAL_SECURITY_BASIS
from dashboard.services.optout_report import OptOutReport

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
MAX_TABLE_ROWS = 60
SHORT_PHRASE = 20  # characters: a value this short is kept on one line when the page is wide enough
KEPT_WHOLE = ("timestamp", "overdue")  # kinds of column kept on one line before the others


class ReportPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.unicode = (DEJAVU / "DejaVuSans.ttf").exists()
        if self.unicode:
            self.add_font("body", "", str(DEJAVU / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
        self.family = "body" if self.unicode else "helvetica"
        self.set_auto_page_break(auto=True, margin=15)

    def text_of(self, value: object) -> str:
        missing = (
            value is None
            or value is pd.NaT
            or value is pd.NA
            or (isinstance(value, float) and math.isnan(value))
        )
        text = "" if missing else str(value)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 7)
        self.cell(0, 5, f"Interface Billing compliance report · page {self.page_no()}", align="C")


def build_report_pdf(
    registers: PeriodRegisters,
    optouts: OptOutReport,
    *,
    violations: pd.DataFrame,
    generated: datetime,
    role: str,
) -> bytes:
    """`violations`: the report's messages after opt-outs, already masked for the role."""
    pdf = ReportPdf()
    pdf.add_page()
    _title(pdf, registers, generated, role)
    _summary(pdf, registers, optouts)
    to_date = optouts.period.month_to_date(generated.date()) if generated < registers.until else None
    _bars(
        pdf,
        "Email opt-out rate at month end",
        _series(optouts.rates, "email", "opt_out_rate", to_date),
        percent=True,
        note=f"* {fmt.month(to_date)}: the month to date, not final." if to_date else None,
    )
    requests = registers.frames["subject_requests"]
    _bars(
        pdf,
        "Subject requests received per month of the period",
        _received_per_month(requests, registers.since, registers.until),
        percent=False,
    )
    _heading(pdf, "Policy checks")
    for result in registers.checks:
        pdf.set_font(pdf.family, "B", 9)
        pdf.multi_cell(
            0,
            5,
            pdf.text_of(
                f"{'PASS' if result.passed else 'FAIL'}  {result.title} "
                f"({_rows(len(result.evidence))} of evidence)"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(pdf.family, "", 8)
        test = with_category_names(result.description)
        pdf.multi_cell(
            0,
            4,
            pdf.text_of(f"“{result.clause}” — {test} Check key: {result.key}."),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(1)
    _table(
        pdf,
        "Request log (status as of the end of the period)",
        requests,
        [
            "reference",
            "person_id",
            "request_type",
            "regime",
            "received_at",
            "effective_due",
            "status_as_of",
            "days_overdue",
        ],
    )
    _table(
        pdf,
        "Opt-outs honoured, by rule",
        optouts.honour_by_rule,
        ["optout_rule", "basis", "on_time", "late", "overdue", "pending", "share_on_time"],
    )
    _table(
        pdf,
        "Promotional messages after an opt-out took effect",
        violations,
        ["person_id", "channel", "campaign", "sent_at", "timing", "days_late"],
    )
    _table(
        pdf,
        "Sharing records",
        registers.frames["sharing_records"],
        ["shared_at", "recipient", "categories", "purpose", "legal_basis", "people"],
    )
    _table(
        pdf,
        "Requests from authorities",
        registers.frames["legal_requests"],
        ["reference", "received_at", "authority", "request_type", "review_decision", "outcome", "accounts"],
    )
    _note(pdf, "National security process is not listed or counted here; it is reported below in bands.")
    _table(
        pdf,
        "National security process, in bands",
        registers.frames["national_security"],
        ["period", "national_security_requests", "accounts_specified", "publishable_from"],
    )
    _note(
        pdf,
        f"{NATIONAL_SECURITY_BASIS}. A half-year may be published from the date shown (180 days after it "
        "ends, 50 U.S.C. 1874(b)).",
    )
    return bytes(pdf.output())


def _title(pdf: ReportPdf, registers: PeriodRegisters, generated: datetime, role: str) -> None:
    pdf.set_font(pdf.family, "B", 16)
    pdf.cell(0, 10, "Interface Billing · Compliance report", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9)
    pdf.multi_cell(
        0,
        5,
        pdf.text_of(
            f"Period {registers.since:%Y-%m-%d} to {registers.until:%Y-%m-%d} (end excluded), as of its end. "
            f"Generated {fmt.timestamp(generated)} for the {role} role"
            + ("; personal data masked." if role == "auditor" else ".")
            + (
                ""
                if pdf.unicode
                else " Characters outside Latin-1 are shown as '?' (DejaVu fonts not installed)."
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)


def _summary(pdf: ReportPdf, registers: PeriodRegisters, optouts: OptOutReport) -> None:
    requests = registers.frames["subject_requests"]
    open_statuses = {"received", "verifying", "in_progress", "extended"}
    passed = sum(r.passed for r in registers.checks)
    latest = optouts.rates[optouts.rates["month"] == optouts.period.months[-1]].set_index("channel")
    figures = [
        ("Policy checks passing", f"{passed} of {len(registers.checks)}"),
        ("Subject requests in the period", f"{len(requests):,}"),
        (
            "Open at the end of the period",
            f"{int(requests['status_as_of'].isin(open_statuses).sum()):,}" if not requests.empty else "0",
        ),
        ("Email opt-out rate", fmt.percent(latest["opt_out_rate"].get("email"))),
        ("Median time to honour an opt-out", fmt.hours(optouts.median_honour_hours)),
        ("Messages after an opt-out took effect", f"{optouts.violation_count:,}"),
        ("Sharing records", f"{len(registers.frames['sharing_records']):,}"),
        (
            "Requests from authorities (national security apart)",
            f"{len(registers.frames['legal_requests']):,}",
        ),
    ]
    _heading(pdf, "Summary")
    pdf.set_font(pdf.family, "", 10)
    for label, value in figures:
        pdf.cell(105, 6, pdf.text_of(label))
        pdf.cell(0, 6, pdf.text_of(value), new_x="LMARGIN", new_y="NEXT")


def _bars(
    pdf: ReportPdf, title: str, points: Sequence[tuple[str, float]], *, percent: bool, note: str | None = None
) -> None:
    _heading(pdf, title)
    if not points:
        pdf.set_font(pdf.family, "", 9)
        pdf.cell(0, 6, "No data in the period.", new_x="LMARGIN", new_y="NEXT")
        return
    top = max(value for _, value in points) or 1.0
    left, base, height, width = pdf.l_margin + 10, pdf.get_y() + 42, 38.0, (pdf.epw - 12) / len(points)
    pdf.set_font(pdf.family, "", 6)
    for index, (label, value) in enumerate(points):
        bar = height * float(value) / top
        pdf.set_fill_color(44, 98, 170)
        pdf.rect(left + index * width + 1, base - bar, max(width - 2, 0.5), bar, style="F")
        _month_label(pdf, label, left + index * width + 1, base + 3, width - 1)
        pdf.text(left + index * width + 1, base - bar - 1, f"{value:.1%}" if percent else f"{value:g}")
    pdf.set_y(base + 8)
    if note:
        pdf.set_font(pdf.family, "", 7)
        pdf.cell(0, 4, pdf.text_of(note), new_x="LMARGIN", new_y="NEXT")


def _table(pdf: ReportPdf, title: str, frame: pd.DataFrame, columns: list[str]) -> None:
    _heading(pdf, f"{title} ({len(frame):,})")
    pdf.set_fill_color(232, 238, 247)
    pdf.set_draw_color(170, 170, 170)
    present = [c for c in columns if c in frame.columns]
    if frame.empty or not present:
        pdf.set_font(pdf.family, "", 9)
        pdf.cell(0, 6, "No rows in the period.", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font(pdf.family, "", 7)
    shown = readable_text(
        frame[present].head(MAX_TABLE_ROWS)
    )  # labels, units and names as the pages show them
    header = [pdf.text_of(c) for c in shown.columns]
    rows = [[pdf.text_of(v) for v in record] for record in shown.itertuples(index=False)]
    whole = [i for i, c in enumerate(present) if spec_for(c).kind in KEPT_WHOLE]
    with pdf.table(
        col_widths=_column_widths(pdf, header, rows, whole),
        text_align="LEFT",
        line_height=4,
        cell_fill_mode="ROWS",
    ) as table:
        table.row(header)
        for row in rows:
            table.row(row)
    if len(frame) > MAX_TABLE_ROWS:
        pdf.set_font(pdf.family, "", 7)
        pdf.cell(
            0,
            5,
            f"... and {len(frame) - MAX_TABLE_ROWS:,} more: see the workbook.",
            new_x="LMARGIN",
            new_y="NEXT",
        )


def _column_widths(
    pdf: ReportPdf, header: list[str], rows: list[list[str]], whole_first: Sequence[int] = ()
) -> list[float]:
    """Each column at least as wide as its longest word (so no word is split across lines) and, where the page
    allows, as its longest short value (`12 days overdue`, `2026-10-25 12:00 UTC` read on one line);
    the rest of the page shared by how much text a column holds. The columns in `whole_first` are
    kept on one line before the others, which go by how many cells widening keeps whole per
    millimetre. Only when the longest words alone overflow the page do they share it, and then long
    words may break."""
    pad = 2 * pdf.c_margin + 1.5
    columns = list(zip(header, *rows, strict=True))
    size = pdf.font_size_pt
    pdf.set_font(pdf.family, "B", size)  # the table draws its header row in bold
    header_words = [
        max((pdf.get_string_width(word) for word in text.split()), default=0.0) for text in header
    ]
    pdf.set_font(pdf.family, "", size)
    words = [
        max([head, *(pdf.get_string_width(word) for text in column[1:] for word in text.split())]) + pad
        for head, column in zip(header_words, columns, strict=True)
    ]
    phrases = [
        max([low, *(pdf.get_string_width(text) + pad for text in column[1:] if len(text) <= SHORT_PHRASE)])
        for low, column in zip(words, columns, strict=True)
    ]
    wrapped = [
        sum(1 for text in column[1:] if len(text) <= SHORT_PHRASE and pdf.get_string_width(text) + pad > low)
        for low, column in zip(words, columns, strict=True)
    ]
    floor = list(words)
    # the columns where widening keeps the most cells on one line per millimetre first
    for index in sorted(
        range(len(floor)),
        key=lambda i: (i not in whole_first, -wrapped[i] / max(phrases[i] - words[i], 0.01)),
    ):
        if sum(floor) - floor[index] + phrases[index] < pdf.epw:
            floor[index] = phrases[index]
    if sum(floor) >= pdf.epw:
        return [width * pdf.epw / sum(floor) for width in floor]
    wish = [
        max(min(sum(pdf.get_string_width(t) for t in column) / len(column), 60.0) + pad - low, 0.0)
        for column, low in zip(columns, floor, strict=True)
    ]
    spare = pdf.epw - sum(floor)
    share = [w / sum(wish) if sum(wish) else 1 / len(wish) for w in wish]
    return [low + spare * part for low, part in zip(floor, share, strict=True)]


def _received_per_month(requests: pd.DataFrame, since: datetime, until: datetime) -> list[tuple[str, float]]:
    """Requests received in each month of [since, until), months with none included; requests received before
    the period (still open in it) are in the request log but not in this chart."""
    months = pd.period_range(
        pd.Timestamp(since).tz_convert(None),
        pd.Timestamp(until).tz_convert(None) - pd.Timedelta(microseconds=1),
        freq="M",
    ).strftime("%Y-%m")
    received = (
        pd.to_datetime(requests["received_at"], utc=True) if not requests.empty else pd.Series(dtype=object)
    )
    within = received[(received >= since) & (received < until)] if not requests.empty else received
    counts = within.dt.strftime("%Y-%m").value_counts() if len(within) else pd.Series(dtype=int)
    return [(month, float(counts.get(month, 0))) for month in months]


def _note(pdf: ReportPdf, text: str) -> None:
    pdf.set_font(pdf.family, "", 7)
    pdf.multi_cell(0, 4, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: ReportPdf, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(pdf.family, "B", 12)
    pdf.cell(0, 8, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")


def _series(rates: pd.DataFrame, channel: str, column: str, to_date: str | None) -> list[tuple[str, float]]:
    """Month and value per month of one channel; the month to date is starred."""
    part = rates[rates["channel"] == channel]
    return [
        (f"{m}*" if m == to_date else str(m), float(v))
        for m, v in zip(part["month"], part[column], strict=True)
        if pd.notna(v)
    ]


def _month_label(pdf: ReportPdf, label: str, x: float, y: float, width: float) -> None:
    """`Aug 2026` under its bar (a starred month to date keeps its star); on two lines when the bar
    is narrow."""
    star = "*" if label.endswith("*") else ""
    text = fmt.month(label.rstrip("*")) + star
    if pdf.get_string_width(text) <= width:
        pdf.text(x, y, text)
        return
    month, _, year = text.partition(" ")
    pdf.text(x, y, month)
    pdf.text(x, y + 2.5, year)


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")
