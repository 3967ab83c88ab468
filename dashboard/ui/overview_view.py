"""The Overview's two views: what needs action today (managers, auditors) and where each headline figure has
gone over twelve months (executives, auditors). Counts of people of 1-4 are withheld from executives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.auth.service import Principal
from dashboard.checks.catalogue import check_title
from dashboard.checks.overview_trends import change_since, last_complete_month, monthly_trends
from dashboard.checks.policy_checks import failing_check_keys
from dashboard.presentation.format import EMPTY, count, percent
from dashboard.privacy.presentation import present_chart_counts, present_count
from dashboard.rules.deadlines import deadline_settings
from dashboard.rules.request_workflow import DUE_SOON_DAYS
from dashboard.services.optout_report import trailing_period
from dashboard.ui.chart_view import show_chart
from dashboard.ui.charts import lines_by
from dashboard.ui.clock import now_minute, today
from dashboard.ui.components import link_to_page
from dashboard.ui.resources import cached_query
from data_access.queries.overview import attention_counts
from data_access.queries.requests import open_counts

OPT_OUT_SOON = timedelta(
    days=3
)  # an opt-out whose legal limit ends within three days needs its suppression now
RECENT_IMPORTS = timedelta(days=7)
TREND_KEY = "overview-trend"  # the trend chart shown; a test may choose one by setting it
# The twelve-month charts by title: the series drawn with their names, the y axis title, whether a
# percentage.
TRENDS: dict[str, tuple[dict[str, str], str, bool]] = {
    "Opt-out rate by channel": ({"email_opt_out_rate": "email", "sms_opt_out_rate": "sms"}, "rate", True),
    "Subject requests": (
        {"requests_received": "received", "requests_answered": "answered"},
        "requests",
        False,
    ),
    "Share of requests answered on time": ({"answered_on_time": "answered on time"}, "share", True),
    "Sharing, legal requests, checks passing": (
        {
            "sharing_records": "sharing records",
            "legal_requests": "legal requests",
            "checks_passing": "checks passing",
        },
        "count",
        False,
    ),
}


@dataclass(frozen=True)
class Action:
    count: int
    what: str
    page: str


def render_attention() -> None:
    """Each thing to act on today with its count and the page where it is done; nothing listed when
    all is clear."""
    requests = cached_query(open_counts, today=today(), due_soon_days=DUE_SOON_DAYS)
    waiting = cached_query(attention_counts, now=now_minute(), soon=OPT_OUT_SOON, recent=RECENT_IMPORTS)
    failing = [
        check_title(key)
        for key in cached_query(failing_check_keys, now=now_minute(), tz=deadline_settings().controller_tz)
    ]
    actions = [
        Action(requests.overdue, "subject request(s) overdue", "pages/requests.py"),
        Action(requests.due_soon, f"subject request(s) due within {DUE_SOON_DAYS} days", "pages/requests.py"),
        Action(
            waiting.opt_outs_overdue,
            "opt-out(s) past their legal limit, suppression not applied",
            "pages/communications.py",
        ),
        Action(
            waiting.opt_outs_due_soon,
            "opt-out(s) whose legal limit ends within 3 days, suppression not applied",
            "pages/communications.py",
        ),
        Action(
            len(failing),
            "policy check(s) failing" + (f": {', '.join(failing)}" if failing else ""),
            "pages/policy.py",
        ),
        Action(
            waiting.imports_with_rejections,
            "import(s) of the last 7 days with rejected rows",
            "pages/imports.py",
        ),
    ]
    st.subheader("Needs action today")
    due = [a for a in actions if a.count]
    if not due:
        st.success(
            "Nothing is overdue or due soon, every policy check passes, no recent import rejected rows."
        )
    for action in due:
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(f"**{action.count:,}** {action.what}")
        link_to_page(
            right, action.page, "Open", ":material/arrow_forward:"
        )  # the row says what; the menu names pages


def render_trends(principal: Principal) -> None:
    """The last complete month's figures with their change from the month before, then twelve months
    of each."""
    period = trailing_period(today(), 12)
    trends = cached_query(monthly_trends, first=period.first, last=period.last, now=now_minute())
    month = last_complete_month(today())
    st.subheader(f"Twelve months · {month} against the month before")
    _delta_row(
        trends,
        month,
        principal,
        [
            ("Email opt-out rate", "email_opt_out_rate", "rate", "inverse"),
            ("SMS opt-out rate", "sms_opt_out_rate", "rate", "inverse"),
            ("Requests received", "requests_received", "people", "off"),
            ("Answered on time", "answered_on_time", "rate", "normal"),
        ],
    )
    _delta_row(
        trends,
        month,
        principal,
        [
            ("Requests answered", "requests_answered", "people", "off"),
            ("Sharing records", "sharing_records", "count", "off"),
            ("Legal requests", "legal_requests", "count", "off"),
            ("Policy checks passing", "checks_passing", "count", "normal"),
        ],
    )
    to_date = period.month_to_date(today())
    # a month with 1-4 requests received or answered is a gap for those who may not see small counts
    shown = present_chart_counts(trends, principal, ["requests_received", "requests_answered"])
    # One chart at a time, chosen here: the four drawn at once took the browser longer than any
    # other page (issue 27). Each is a click away; the row above has each figure's change.
    title = st.segmented_control(
        "Trend", list(TRENDS), default=next(iter(TRENDS)), required=True, key=TREND_KEY
    ) or next(iter(TRENDS))
    series, y_title, as_percent = TRENDS[title]
    show_chart(
        lines_by(
            _long(shown, series),
            x="month",
            y="value",
            by="series",
            title=title,
            y_title=y_title,
            percent=as_percent,
            partial=to_date,
        )
    )
    if trends["checks"].isna().all():
        st.caption(
            "Policy checks passing: no verdicts kept yet. `compliance check`, run daily from cron, keeps "
            "each day's verdicts; the trend starts with its first run."
        )


def _delta_row(
    trends: pd.DataFrame, month: str, principal: Principal, figures: Sequence[tuple[str, str, str, str]]
) -> None:
    for column, (label, key, kind, colour) in zip(st.columns(len(figures)), figures, strict=True):
        value, change = change_since(trends, key, month)
        change = change or None  # no arrow for no change
        if kind == "rate":
            column.metric(
                label,
                percent(value),
                None if change is None else f"{change * 100:+.1f} pts",
                delta_color=colour,  # type: ignore[arg-type]
            )
            continue
        if kind == "people" and value is not None:
            shown = present_count(int(value), principal)
            delta = None if shown is None or change is None else f"{change:+,.0f}"
            column.metric(label, count(shown), delta, delta_color=colour)  # type: ignore[arg-type]
            continue
        column.metric(
            label,
            EMPTY if value is None else f"{value:,.0f}",
            None if change is None else f"{change:+,.0f}",
            delta_color=colour,  # type: ignore[arg-type]
        )


def _long(trends: pd.DataFrame, series: dict[str, str]) -> pd.DataFrame:
    return trends.melt(
        id_vars="month", value_vars=list(series), var_name="series", value_name="value"
    ).assign(series=lambda f: f["series"].map(series))
