"""The opt-out report for a range of months: rates, flow, honour times, violations and GPC signals.

One builder for the Communications page, `compliance optouts report` and the policy check, so
that every figure is computed once, from the same queries and rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.rules.deadlines import DeadlineError, days_late, optout_basis
from dashboard.rules.optout_timing import VIOLATIONS, rates_by_group
from data_access.models.enums import MessageTiming
from data_access.partitions import months_between, next_month
from data_access.queries import optouts as q

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
OUTCOMES = ["on time", "late", "overdue", "pending"]
VIOLATIONS_LISTED = 200  # on the page, the newest; the counts cover them all


@dataclass(frozen=True)
class Period:
    first: date  # first day of the first month
    last: date  # first day of the last month

    @property
    def months(self) -> list[str]:
        return [f"{m:%Y-%m}" for m in months_between(self.first, self.last)]

    def month_to_date(self, today: date) -> str | None:
        """The period's month that has not ended yet ('2026-12' on 5 December), whose figures are partial."""
        current = today.replace(day=1)
        return f"{current:%Y-%m}" if self.first <= current <= self.last else None

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time(), UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(next_month(self.last), datetime.min.time(), UTC)


def parse_month(text: str, field: str = "month") -> date:
    """'2026-10' -> 2026-10-01; anything else is refused naming the field."""
    match = MONTH.match(text.strip())
    if match is None:
        raise DeadlineError(field, f"{text!r} is not a month as YYYY-MM")
    return date(int(match.group(1)), int(match.group(2)), 1)


def trailing_period(today: date, months: int = 12) -> Period:
    """The `months` calendar months ending with the current one."""
    last = today.replace(day=1)
    index = last.year * 12 + last.month - 1 - (months - 1)
    return Period(date(index // 12, index % 12 + 1, 1), last)


@dataclass(frozen=True)
class OptOutReport:
    period: Period
    rates: pd.DataFrame  # channel, month, opted_in, opted_out, reachable, opt_out_rate, new_opt_outs, ...
    honour_histogram: pd.DataFrame  # rule, channel, outcome, days, opt_outs
    honour_by_rule: pd.DataFrame  # optout_rule, basis, on_time, late, overdue, pending, share_on_time
    median_honour_hours: float | None
    message_counts: (
        pd.DataFrame
    )  # promotional messages after an opt-out: channel, campaign, timing, people, messages
    violations: pd.DataFrame  # the newest of those that are violations, with their opt-out and days late
    late_opt_outs: pd.DataFrame  # opt-outs suppressed after their deadline, or not yet and overdue
    gpc: pd.DataFrame  # month, signals, honoured_on_time

    @property
    def violation_counts(self) -> pd.DataFrame:
        return self.message_counts[self.message_counts["timing"].isin([v.value for v in VIOLATIONS])]

    @property
    def violation_count(self) -> int:
        """All the period's violations; `violations` lists the newest of them."""
        return int(self.violation_counts["messages"].sum())

    @property
    def violations_cut(self) -> bool:
        return len(self.violations) < self.violation_count

    @property
    def within_limit_messages(self) -> int:
        counts = self.message_counts
        return int(counts.loc[counts["timing"] == MessageTiming.WITHIN_LIMIT.value, "messages"].sum())

    @property
    def overdue_opt_outs(self) -> int:
        return int(self.honour_by_rule["overdue"].sum()) if not self.honour_by_rule.empty else 0


def build_optout_report(
    *,
    session: Session,
    first: date,
    last: date,
    now: datetime,
    tz: str = "UTC",
    listed: int = VIOLATIONS_LISTED,
) -> OptOutReport:
    """Figures for the months `first`..`last` (first days of months), as of the end of the last month or
    `now` if earlier: history after that is not used, so a past month reads as it stood then. The newest
    `listed` violations are listed; every count covers them all."""
    period = Period(first, last)
    as_of = min(now, period.until)
    transitions = q.preference_transitions(session=session, until=as_of)
    histogram = q.honour_time_histogram(session=session, since=period.since, until=period.until, now=as_of)
    return OptOutReport(
        period=period,
        rates=rates_by_group(transitions, period.months, "channel"),
        honour_histogram=histogram,
        honour_by_rule=honour_outcomes(histogram),
        median_honour_hours=q.median_honour_hours(session=session, since=period.since, until=period.until),
        message_counts=q.opt_out_message_counts(session=session, since=period.since, until=as_of),
        violations=with_days_late(
            q.messages_after_opt_out(
                session=session, since=period.since, until=as_of, timings=VIOLATIONS, limit=listed
            ),
            tz,
        ),
        late_opt_outs=q.late_opt_outs(session=session, since=period.since, until=period.until, now=as_of),
        gpc=q.gpc_signals(session=session, since=period.since, until=period.until),
    )


def honour_outcomes(histogram: pd.DataFrame) -> pd.DataFrame:
    """Per rule: opt-outs on time, late, overdue (deadline passed, not applied), pending; share
    decided on time."""
    if histogram.empty:
        return pd.DataFrame(
            columns=["optout_rule", "basis", "on_time", "late", "overdue", "pending", "share_on_time"]
        )
    table = histogram.pivot_table(
        index="rule", columns="outcome", values="opt_outs", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=OUTCOMES, fill_value=0).rename(columns={"on time": "on_time"}).reset_index()
    table = table.rename(columns={"rule": "optout_rule"})  # named by law where shown (presentation.columns)
    decided = table["on_time"] + table["late"] + table["overdue"]
    table["share_on_time"] = (table["on_time"] / decided.where(decided > 0)).astype(float)
    table.insert(1, "basis", [optout_basis(rule) for rule in table["optout_rule"]])
    table.columns.name = None
    return table


def with_days_late(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Add `days_late`: the sent date in the controller's zone against the opt-out's honour_by."""
    result = frame.copy()
    if result.empty:
        return result.assign(days_late=pd.Series(dtype=int))
    sent_days = pd.to_datetime(result["sent_at"], utc=True).dt.tz_convert(tz).dt.date
    result["days_late"] = [
        days_late(by, sent) for by, sent in zip(result["honour_by"], sent_days, strict=True)
    ]
    return result


def country_rates(*, session: Session, month: date, now: datetime) -> pd.DataFrame:
    """Per channel and country, the rates at the end of `month` (a second pass over the history: on
    demand)."""
    period = Period(month, month)
    transitions = q.preference_transitions(session=session, until=min(now, period.until), by_country=True)
    return _last_month_by_country(transitions, period.months[-1])


def _last_month_by_country(transitions: pd.DataFrame, month: str) -> pd.DataFrame:
    frames = [
        rates_by_group(part, [month], "country").assign(channel=channel)
        for channel, part in transitions.groupby("channel", sort=True)
    ]
    if not frames:
        return pd.DataFrame(
            columns=["channel", "country", "opted_in", "opted_out", "reachable", "opt_out_rate"]
        )
    rates = pd.concat(frames, ignore_index=True)
    columns = [
        "channel",
        "country",
        "opted_in",
        "opted_out",
        "reachable",
        "opt_out_rate",
        "new_opt_outs",
        "opt_out_flow",
    ]
    return rates.sort_values(["channel", "reachable"], ascending=[True, False])[columns].reset_index(
        drop=True
    )
