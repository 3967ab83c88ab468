"""Every legal deadline the product computes, exactly as docs/legal-rules.md specifies.

The intake form, the queue, the opt-out pages, the reports and the CLI all call this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard.rules.business_days import (
    DeadlineError,
    add_business_days,
    add_calendar_months,
    holiday_calendar,
    roll_forward,
)
from dashboard.rules.regimes import REGIMES, US_REGIMES
from dashboard.settings import get_settings

OPTOUT_RULES: tuple[str, ...] = ("can-spam", "tcpa", "ccpa-sale", "gpc", "gdpr-objection")
SALE_OPT_OUT_TYPES = ("opt-out-sale", "gpc")
# Our convention where no law applies: answer within 30 calendar days (labelled "internal target").
NO_LAW_TARGET_DAYS = 30

DEFAULT_CALENDARS: dict[str, str] = {
    "gdpr": "IE",
    "uk-gdpr": "GB-ENG",
    **dict.fromkeys(US_REGIMES, "US"),
    "lgpd": "BR",
    "pipeda": "CA",
    "none": "US",
    "can-spam": "US",
    "tcpa": "US",
    "ccpa-sale": "US",
    "gpc": "US",
    "gdpr-objection": "IE",
}

# regime -> (calendar days to answer, calendar days to the extended due date) for the day-count laws.
CALENDAR_DAY_RULES: dict[str, tuple[int, int | None]] = {
    "ccpa": (45, 90),  # Cal. Civ. Code 1798.130(a)(2); 11 CCR 7021
    "va": (45, 90),  # Va. Code 59.1-577(B)(1)
    "co": (45, 90),  # C.R.S. 6-1-1306(2)
    "ct": (45, 90),  # Conn. Gen. Stat. 42-518(c)(1)
    "tx": (45, 90),  # Tex. Bus. & Com. Code 541.052(b)
    "ut": (45, 90),  # Utah Code 13-61-203
    "or": (45, 90),  # ORS 646A.576
    "lgpd": (15, None),  # LGPD Art. 19 II
    "pipeda": (30, 60),  # PIPEDA s.8(3)-(4)
}
# rule -> business days after receipt within which a promotional message may still go out.
OPTOUT_BUSINESS_DAYS = {
    "can-spam": 10,  # 15 U.S.C. 7704(a)(4); 16 CFR 316.5
    "tcpa": 10,  # 47 CFR 64.1200(a)(10), FCC 24-24, in force 11 April 2025
    "ccpa-sale": 15,  # 11 CCR 7026(f)
    "gpc": 15,  # 11 CCR 7025, 7026(f)
}


@dataclass(frozen=True)
class DeadlineSettings:
    controller_tz: str = "UTC"
    calendars: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CALENDARS))
    internal_optout_target_days: int = 2


def deadline_settings() -> DeadlineSettings:
    """This deployment's deadline settings: the controller's time zone is COMPLIANCE_TZ
    (docs/legal-rules.md)."""
    return _deadline_settings(get_settings().controller_tz)


@lru_cache(maxsize=4)
def _deadline_settings(controller_tz: str) -> DeadlineSettings:
    return DeadlineSettings(controller_tz=controller_tz)


@dataclass(frozen=True)
class RequestDeadlines:
    regime: str
    request_type: str | None
    received: datetime
    receipt_date: date
    acknowledge_by: date | None
    due: date
    extended_due: date | None
    basis: str

    def to_json_dict(self) -> dict[str, str | None]:
        return {
            "regime": self.regime,
            "type": self.request_type,
            "received": self.received.isoformat(),
            "acknowledge_by": _iso(self.acknowledge_by),
            "due": self.due.isoformat(),
            "extended_due": _iso(self.extended_due),
        }


@dataclass(frozen=True)
class OptOutDeadline:
    rule: str
    received: datetime
    receipt_date: date
    honour_by: date
    basis: str
    tz: str = "UTC"

    @property
    def ends_at(self) -> datetime:
        """The instant `honour_by` ends in the controller's zone: a promotional message sent at or after it
        is a violation. Stored with the event so that SQL can compare timestamps, not dates in two zones."""
        return datetime.combine(self.honour_by + timedelta(days=1), time(0), _zone(self.tz)).astimezone(UTC)

    def to_json_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "received": self.received.isoformat(),
            "honour_by": self.honour_by.isoformat(),
            "basis": self.basis,
        }


def receipt_date(received: datetime, tz: str) -> date:
    """The calendar date of receipt in the controller's time zone (22:30 UTC on 30 June is 1 July in
    Berlin)."""
    if received.tzinfo is None:
        raise DeadlineError("received", f"{received.isoformat()} has no time zone")
    return received.astimezone(_zone(tz)).date()


def request_deadlines(
    regime: str,
    received: datetime,
    *,
    request_type: str | None = None,
    tz: str | None = None,
    calendar: str | None = None,
    paused: Sequence[tuple[date, date]] = (),
    settings: DeadlineSettings | None = None,
) -> RequestDeadlines:
    """Acknowledgement, due and extended due dates of a subject request under `regime`."""
    settings = settings or DeadlineSettings()
    if regime not in REGIMES:
        raise DeadlineError("regime", f"unknown regime {regime!r}; one of {', '.join(REGIMES)}")
    if paused and regime not in ("gdpr", "uk-gdpr"):
        raise DeadlineError("paused", f"the clock can only be paused under gdpr and uk-gdpr, not {regime}")
    day = receipt_date(received, tz or settings.controller_tz)
    cal = holiday_calendar(calendar or settings.calendars.get(regime, "US"))
    ack: date | None = None
    extended: date | None
    basis = "law"
    if regime in ("gdpr", "uk-gdpr"):
        # GDPR Art. 12(3); Reg. 1182/71 Art. 3; ICO: the month starts on the day of receipt, even a holiday.
        pause = timedelta(days=_paused_days(paused))
        due = roll_forward(add_calendar_months(day, 1) + pause, cal)
        extended = roll_forward(add_calendar_months(day, 3) + pause, cal)
    elif regime == "ccpa" and request_type in SALE_OPT_OUT_TYPES:
        due, extended = add_business_days(day, 15, cal), None  # 11 CCR 7026(f); GPC 11 CCR 7025
    elif regime == "none":
        due, extended, basis = day + timedelta(days=NO_LAW_TARGET_DAYS), None, "internal target"
    else:
        answer_days, extension_days = CALENDAR_DAY_RULES[regime]
        due = day + timedelta(days=answer_days)
        extended = day + timedelta(days=extension_days) if extension_days else None
        if regime == "ccpa":
            ack = add_business_days(day, 10, cal)  # 11 CCR 7021(a)
    return RequestDeadlines(regime, request_type, received, day, ack, due, extended, basis)


def optout_deadline(
    rule: str,
    received: datetime,
    *,
    tz: str | None = None,
    calendar: str | None = None,
    settings: DeadlineSettings | None = None,
) -> OptOutDeadline:
    """The last day a promotional message may still go out after an opt-out received at `received`."""
    settings = settings or DeadlineSettings()
    if rule not in OPTOUT_RULES:
        raise DeadlineError("rule", f"unknown opt-out rule {rule!r}; one of {', '.join(OPTOUT_RULES)}")
    zone = tz or settings.controller_tz
    day = receipt_date(received, zone)
    cal = holiday_calendar(calendar or settings.calendars.get(rule, "US"))
    if rule == "gdpr-objection":
        # GDPR Art. 21(3): no period in law, processing stops on receipt; our internal processing target.
        return OptOutDeadline(
            rule,
            received,
            day,
            add_business_days(day, settings.internal_optout_target_days, cal),
            "internal target",
            zone,
        )
    return OptOutDeadline(
        rule, received, day, add_business_days(day, OPTOUT_BUSINESS_DAYS[rule], cal), "law", zone
    )


def optout_basis(rule: str) -> str:
    """'law' where a statute sets the period, 'internal target' for our own (GDPR objection)."""
    return "law" if rule in OPTOUT_BUSINESS_DAYS else "internal target"


def rule_for_channel(channel: str, regime: str | None) -> str:
    """The opt-out rule that governs a channel: GDPR objection for EU/UK people, else CAN-SPAM (email),
    the FCC revocation rule (texts and calls), or CCPA for an opt-out of sale/sharing."""
    if channel in ("all", "sale"):
        return "ccpa-sale"
    if regime in ("gdpr", "uk-gdpr"):
        return "gdpr-objection"
    if channel == "email":
        return "can-spam"
    if channel in ("sms", "phone"):
        return "tcpa"
    raise DeadlineError("channel", f"unknown channel {channel!r}; one of email, sms, phone, all")


def days_late(honour_by: date, sent_on: date) -> int:
    """Days a message went out after the last allowed day (0 when on time)."""
    return max(0, (sent_on - honour_by).days)


def parse_received(text: str, tz: str | None) -> datetime:
    """An ISO 8601 time; a value without an offset is read in `tz` (the controller's zone)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise DeadlineError(
            "received", f"{text!r} is not an ISO 8601 date-time (e.g. 2026-03-05T10:00:00+01:00)"
        ) from exc
    return value if value.tzinfo else value.replace(tzinfo=_zone(tz or "UTC"))


def parse_paused(text: str) -> tuple[date, date]:
    try:
        first, last = (date.fromisoformat(part) for part in text.split("/"))
    except ValueError as exc:
        raise DeadlineError("paused", f"{text!r} is not FROM/TO dates such as 2026-03-10/2026-03-14") from exc
    if last < first:
        raise DeadlineError("paused", f"{text!r} ends before it starts")
    return first, last


def _paused_days(ranges: Sequence[tuple[date, date]]) -> int:
    """Calendar days the clock stood still, both ends included, overlaps counted once."""
    days: set[date] = set()
    for first, last in ranges:
        days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return len(days)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DeadlineError(
            "tz", f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)"
        ) from exc


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


__all__ = [
    "DeadlineError",
    "DeadlineSettings",
    "OPTOUT_RULES",
    "OptOutDeadline",
    "REGIMES",
    "RequestDeadlines",
    "days_late",
    "deadline_settings",
    "optout_deadline",
    "parse_paused",
    "parse_received",
    "request_deadlines",
    "rule_for_channel",
]
