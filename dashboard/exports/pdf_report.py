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
from dashboard.services.optout_report import OptOutReport

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
MAX_TABLE_ROWS = 60


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
        missing = value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
        text = "" if missing else str(value)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 7)
        self.cell(0, 5, f"Interface Billing compliance report · page {self.page_no()}", align="C")


def build_report_pdf(registers: PeriodRegisters, optouts: OptOutReport, *, violations: pd.DataFrame,
                     generated: datetime, role: str) -> bytes:
    """`violations`: the report's messages after opt-outs, already masked for the role."""
    pdf = ReportPdf()
    pdf.add_page()
    _title(pdf, registers, generated, role)
    _summary(pdf, registers, optouts)
    _bars(pdf, "Email opt-out rate at month end", _series(optouts.rates, "email", "opt_out_rate"), percent=True)
    requests = registers.frames["subject_requests"]
    per_month = requests.assign(month=pd.to_datetime(requests["received_at"], utc=True).dt.strftime("%Y-%m")) \
        .groupby("month").size() if not requests.empty else pd.Series(dtype=int)
    _bars(pdf, "Subject requests received per month", [(str(m), float(n)) for m, n in per_month.items()],
          percent=False)
    _heading(pdf, "Policy checks")
    for result in registers.checks:
        pdf.set_font(pdf.family, "B", 9)
        pdf.multi_cell(0, 5, pdf.text_of(f"{'PASS' if result.passed else 'FAIL'}  {result.key} "
                                         f"({len(result.evidence)} evidence rows)"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.family, "", 8)
        pdf.multi_cell(0, 4, pdf.text_of(f"“{result.clause}” — {result.description}"),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    _table(pdf, "Request log (status as of the end of the period)", requests,
           ["reference", "request_type", "regime", "received_at", "due_date", "status_as_of"])
    _table(pdf, "Opt-outs honoured, by rule", optouts.honour_by_rule,
           ["rule", "basis", "on_time", "late", "overdue", "pending", "share_on_time"])
    _table(pdf, "Promotional messages after an opt-out took effect", violations,
           ["person_id", "channel", "campaign", "sent_at", "timing", "days_late"])
    _table(pdf, "Sharing records", registers.frames["sharing_records"],
           ["shared_at", "recipient", "purpose", "legal_basis", "people"])
    _table(pdf, "Requests from authorities", registers.frames["legal_requests"],
           ["reference", "received_at", "authority", "request_type", "review_decision", "outcome", "accounts"])
    return bytes(pdf.output())


def _title(pdf: ReportPdf, registers: PeriodRegisters, generated: datetime, role: str) -> None:
    pdf.set_font(pdf.family, "B", 16)
    pdf.cell(0, 10, "Interface Billing · Compliance report", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9)
    pdf.multi_cell(0, 5, pdf.text_of(
        f"Period {registers.since:%Y-%m-%d} to {registers.until:%Y-%m-%d} (end excluded), as of its end. "
        f"Generated {generated:%Y-%m-%d %H:%M} UTC for the {role} role"
        + ("; personal data masked." if role == "auditor" else ".")
        + ("" if pdf.unicode else " Characters outside Latin-1 are shown as '?' (DejaVu fonts not installed).")),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _summary(pdf: ReportPdf, registers: PeriodRegisters, optouts: OptOutReport) -> None:
    requests = registers.frames["subject_requests"]
    open_statuses = {"received", "verifying", "in_progress", "extended"}
    passed = sum(r.passed for r in registers.checks)
    latest = optouts.rates[optouts.rates["month"] == optouts.period.months[-1]].set_index("channel")
    figures = [("Policy checks passing", f"{passed} of {len(registers.checks)}"),
               ("Subject requests in the period", f"{len(requests):,}"),
               ("Open at the end of the period", f"{int(requests['status_as_of'].isin(open_statuses).sum()):,}"
                if not requests.empty else "0"),
               ("Email opt-out rate", _pct(latest["opt_out_rate"].get("email"))),
               ("Median hours to honour an opt-out", "-" if optouts.median_honour_hours is None
                else f"{optouts.median_honour_hours:.1f}"),
               ("Messages after an opt-out took effect", f"{optouts.violation_count:,}"),
               ("Sharing records", f"{len(registers.frames['sharing_records']):,}"),
               ("Requests from authorities", f"{len(registers.frames['legal_requests']):,}")]
    _heading(pdf, "Summary")
    pdf.set_font(pdf.family, "", 10)
    for label, value in figures:
        pdf.cell(90, 6, pdf.text_of(label))
        pdf.cell(0, 6, pdf.text_of(value), new_x="LMARGIN", new_y="NEXT")


def _bars(pdf: ReportPdf, title: str, points: Sequence[tuple[str, float]], *, percent: bool) -> None:
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
        pdf.text(left + index * width + 1, base + 3, label[-5:])
        pdf.text(left + index * width + 1, base - bar - 1, f"{value:.1%}" if percent else f"{value:g}")
    pdf.set_y(base + 6)


def _table(pdf: ReportPdf, title: str, frame: pd.DataFrame, columns: list[str]) -> None:
    _heading(pdf, f"{title} ({len(frame):,})")
    pdf.set_fill_color(232, 238, 247)
    pdf.set_draw_color(170, 170, 170)
    present = [c for c in columns if c in frame.columns]
    if frame.empty or not present:
        pdf.set_font(pdf.family, "", 9)
        pdf.cell(0, 6, "None.", new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font(pdf.family, "", 7)
    with pdf.table(col_widths=[1] * len(present), text_align="LEFT", line_height=4,
                   cell_fill_mode="ROWS") as table:
        table.row([pdf.text_of(c) for c in present])
        for record in frame[present].head(MAX_TABLE_ROWS).itertuples(index=False):
            table.row([pdf.text_of(_short(v)) for v in record])
    if len(frame) > MAX_TABLE_ROWS:
        pdf.set_font(pdf.family, "", 7)
        pdf.cell(0, 5, f"... and {len(frame) - MAX_TABLE_ROWS:,} more: see the workbook.", new_x="LMARGIN",
                 new_y="NEXT")


def _heading(pdf: ReportPdf, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(pdf.family, "B", 12)
    pdf.cell(0, 8, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")


def _series(rates: pd.DataFrame, channel: str, column: str) -> list[tuple[str, float]]:
    part = rates[rates["channel"] == channel]
    return [(str(m), float(v)) for m, v in zip(part["month"], part[column], strict=True) if pd.notna(v)]


def _short(value: object) -> object:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:.3g}"
    return value


def _pct(value: float | None) -> str:
    return "-" if value is None or pd.isna(value) else f"{value:.1%}"
