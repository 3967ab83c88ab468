"""The evidence package an auditor takes away: report, registers, audit-log extract with its chain check,
and SHA256SUMS that `sha256sum -c` verifies. Built in memory, in the exporting role's view (auditors
masked)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dashboard.audit.log import record, verify
from dashboard.auth.service import Principal
from dashboard.exports.checksummed_zip import checksummed_zip
from dashboard.exports.cover import export_cover
from dashboard.exports.pdf_report import build_report_pdf
from dashboard.exports.registers import PeriodRegisters, period_registers
from dashboard.exports.safe_cells import to_safe_csv
from dashboard.exports.workbook import build_workbook
from dashboard.privacy.presentation import present
from dashboard.services.optout_report import build_optout_report
from data_access.gateway import MAX_ROWS


@dataclass(frozen=True)
class EvidencePackage:
    filename: str
    content: bytes
    sha256: str
    files: dict[str, str]


def report_pdf(
    *,
    session: Session,
    principal: Principal,
    since: datetime,
    until: datetime,
    now: datetime,
    tz: str = "UTC",
    registers: PeriodRegisters | None = None,
) -> bytes:
    """The PDF compliance report of [since, until), as of its end, in the principal's view."""
    registers = registers or period_registers(
        session=session, principal=principal, since=since, until=until, tz=tz
    )
    last_day = (until - timedelta(microseconds=1)).date()
    optouts = build_optout_report(
        session=session,
        first=since.date().replace(day=1),
        last=last_day.replace(day=1),
        now=min(now, until),
        tz=tz,
        listed=MAX_ROWS,
    )
    return build_report_pdf(
        registers,
        optouts,
        violations=present(optouts.violations, principal),
        generated=now,
        role=str(principal.role),
    )


def build_evidence_package(
    *,
    session: Session,
    principal: Principal,
    since: datetime,
    until: datetime,
    now: datetime,
    tz: str = "UTC",
) -> EvidencePackage:
    registers = period_registers(session=session, principal=principal, since=since, until=until, tz=tz)
    verdict = verify(session=session)
    files: dict[str, bytes] = {
        "report.pdf": report_pdf(
            session=session,
            principal=principal,
            since=since,
            until=until,
            now=now,
            tz=tz,
            registers=registers,
        ),
        "registers.xlsx": build_workbook(
            registers.frames,
            titles=registers.titles,
            cover=export_cover(
                principal=principal, since=since, until=until, generated=now, audit_head=verdict.head_hash
            ),
        ),
        "audit-chain.json": json.dumps(
            {
                "ok": verdict.ok,
                "entries_checked": verdict.checked,
                "first_broken_id": verdict.first_bad_id,
                "reason": verdict.reason,
                "head_hash": verdict.head_hash,
                "verified_at": now.isoformat(),
            },
            indent=2,
        ).encode(),
        "checks.json": json.dumps(
            [r.summary() | {"test": r.description} for r in registers.checks], indent=2
        ).encode(),
    }
    files |= {f"csv/{name}.csv": to_safe_csv(frame) for name, frame in registers.frames.items()}
    files["README.txt"] = _readme(since, until, now, principal, verdict.ok).encode()
    content, sums = checksummed_zip(files)
    digest = hashlib.sha256(content).hexdigest()
    record(
        session=session,
        actor=principal.username,
        role=principal.role,
        action="export.evidence",
        object_type="period",
        object_id=f"{since:%Y-%m-%d}/{until:%Y-%m-%d}",
        details={"sha256": digest, "files": len(files)},
    )
    return EvidencePackage(f"evidence-{since:%Y%m%d}-{until:%Y%m%d}.zip", content, digest, sums)


def _readme(since: datetime, until: datetime, now: datetime, principal: Principal, chain_ok: bool) -> str:
    return "\n".join(
        [
            f"Interface Billing compliance evidence, {since:%Y-%m-%d} to {until:%Y-%m-%d} (end excluded).",
            f"Produced {now:%Y-%m-%d %H:%M} UTC by {principal.username} ({principal.role}).",
            "",
            "report.pdf        the compliance report for the period",
            "registers.xlsx    one sheet per register, for reading (names, units, times in UTC)",
            "csv/              the same tables as CSV, for machines: column keys and raw values",
            "checks.json       every policy check (key and title) with its clause, test and "
            "number of evidence rows",
            "audit-chain.json  verification of the whole audit log's hash chain "
            + ("(intact)" if chain_ok else "(BROKEN: see first_broken_id)"),
            "csv/audit_log.csv the audit entries of the period with their hashes",
            "",
            "Verify the files: unzip, then run `sha256sum -c SHA256SUMS`.",
            "Spreadsheet cells that began with = + - @ are prefixed with ' so they cannot run as formulas.",
            "",
        ]
    )
