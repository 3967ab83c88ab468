"""After an erasure: what is left of the person and why, and what is still owed to recipients and requester.

Pure functions; the sources are in docs/erasure.md.
- What is left: a column counts as held only where it holds a value (an anonymised tombstone keeps
  its row, not
  its username); each table kept says its legal basis and retention (the data map) and why it outlives the
  erasure (GDPR Art. 17(3)(b) and (e); CCPA 1798.105(d)).
- Recipients: Art. 19 asks each recipient to be told "unless this proves impossible or involves
  disproportionate
  effort"; CCPA 1798.105(c)(1) and 11 CCR 7022(b)(2)-(3) ask service providers, contractors and
  third parties to be notified. Neither names a period, so the dashboard allows NOTICE_DAYS: Art.
  12(3)'s one month for acting on a request, read as the outer limit of "without undue delay".
- Requester contact: kept on the erasure request until the completion is confirmed to the requester
  (Art. 12(3);
  11 CCR 7022: the consumer is told whether the request was complied with), at most
  CONTACT_RETENTION_DAYS after the erasure, then removed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

NOTICE_DAYS = 30
CONTACT_RETENTION_DAYS = 30
CONTACT_COLUMNS = ("requester_name", "requester_email", "requester_phone")

# Why each table a person's id stays in outlives the erasure (the legal basis and retention come
# from the data map).
KEPT_BECAUSE: Mapping[str, str] = {
    "people": "anonymised tombstone (no username, reference replaced) so the registers below count people "
    "without "
    "naming anyone",
    "invoices": "accounting and tax records must be kept: pseudonymised, name and address removed "
    "(GDPR Art. 17(3)(b), CCPA 1798.105(d)(8))",
    "subject_requests": "the record that the request was received and answered (GDPR Art. 5(2), 12; "
    "11 CCR 7101: 24 months)",
    "sharing_record_people": "record of disclosures to recipients (GDPR Art. 5(2), 19, 30(1)(d))",
    "legal_request_people": "record of disclosures to authorities (GDPR Art. 17(3)(e): legal claims)",
    "business_transfer_people": "record of the notice of a change of control",
    "policy_notifications": "proof the person was told of policy changes (GDPR Art. 5(2))",
    "preference_events": "proof an opt-out was honoured (CAN-SPAM 15 U.S.C. 7704; GDPR Art. 21(3))",
    "messages": "proof no promotional message followed an opt-out",
    "consents": "proof of consent (GDPR Art. 7(1))",
    "field_changes": "that a correction took place (values removed)",
}


class MappedColumn(Protocol):
    """A data-map entry (dashboard.inventory.data_map.MappedField) as this rule reads it."""

    @property
    def table(self) -> str: ...
    @property
    def column(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def legal_basis(self) -> str: ...
    @property
    def retention(self) -> str: ...


@dataclass(frozen=True)
class Hold:
    """Records kept under a retention hold after the erasure (data_access: retention_holds)."""

    table: str
    records: int
    retain_until: date
    reason: str


@dataclass(frozen=True)
class Remaining:
    table: str
    rows: int
    form: str  # "pseudonymised" (under a hold), "anonymised" (the tombstone) or "kept"
    categories: tuple[str, ...]
    legal_basis: str
    retention: str
    why: str


def left_after_erasure(
    *, held: Mapping[str, tuple[int, Collection[str]]], holds: Sequence[Hold], fields: Sequence[MappedColumn]
) -> list[Remaining]:
    """What is actually left: `held` maps a table to its rows for the person and the mapped columns holding a
    value; `holds` adds the records kept under a hold (no longer linked to the person but for the hold)."""
    by_table: dict[str, list[MappedColumn]] = {}
    for f in fields:
        by_table.setdefault(f.table, []).append(f)
    left = []
    for table, (rows, columns) in sorted(held.items()):
        mapped = [f for f in by_table.get(table, []) if f.column in columns]
        if not rows or not mapped:
            continue
        hold = next((h for h in holds if h.table == table), None)
        form = "pseudonymised" if hold else "anonymised" if table == "people" else "kept"
        retention = f"until {hold.retain_until:%Y-%m-%d}" if hold else _one(f.retention for f in mapped)
        why = hold.reason if hold else KEPT_BECAUSE.get(table, "kept under the data map's retention")
        if table == "subject_requests" and set(CONTACT_COLUMNS) & set(columns):
            retention = (
                f"requester's contact: until the completion is confirmed, at most {CONTACT_RETENTION_DAYS} "
                f"days; the rest: {retention}"
            )
            why += "; the requester's contact is kept to confirm the completion to them (GDPR Art. 12(3))"
        left.append(
            Remaining(
                table,
                rows,
                form,
                tuple(sorted({f.category for f in mapped})),
                _one(f.legal_basis for f in mapped),
                retention,
                why,
            )
        )
    return left


def held_categories(left: Sequence[Remaining]) -> list[str]:
    return sorted({c for item in left for c in item.categories})


def _one(values: object) -> str:
    distinct = sorted(set(values))  # type: ignore[call-overload]
    return "; ".join(distinct)


class NoticeState(StrEnum):
    ANSWERED = "answered"
    SENT = "sent, no answer yet"
    EXEMPT = "not sent: impossible or disproportionate effort"
    DUE = "to send"
    OVERDUE = "overdue"


def notice_due(erased_at: datetime) -> date:
    return (erased_at + timedelta(days=NOTICE_DAYS)).date()


def notice_cutoff(now: datetime) -> datetime:
    """Erasures before this moment whose recipients are not all notified are overdue."""
    return now - timedelta(days=NOTICE_DAYS)


def notice_state(
    *,
    erased_at: datetime,
    sent_at: datetime | None,
    exemption: str | None,
    answered_at: datetime | None,
    now: datetime,
) -> NoticeState:
    if answered_at is not None:
        return NoticeState.ANSWERED
    if sent_at is not None:
        return NoticeState.SENT
    if exemption:
        return NoticeState.EXEMPT
    return NoticeState.OVERDUE if erased_at < notice_cutoff(now) else NoticeState.DUE


def contact_erase_by(erased_at: datetime) -> date:
    return (erased_at + timedelta(days=CONTACT_RETENTION_DAYS)).date()


def contact_cutoff(now: datetime) -> datetime:
    """Erasures before this moment must no longer keep the requester's contact."""
    return now - timedelta(days=CONTACT_RETENTION_DAYS)
