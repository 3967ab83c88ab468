"""Evidence for the opt-out clause and for answering subject requests on time."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from dashboard.services.optout_report import build_optout_report, trailing_period
from data_access.queries.requests import late_requests

OPT_OUT_WINDOW_MONTHS = 24


def optouts_honoured(session: Session, context: CheckContext) -> pd.DataFrame:
    """Promotional messages after an opt-out took effect or its legal limit, and opt-outs applied late."""
    period = trailing_period(context.today, OPT_OUT_WINDOW_MONTHS)
    report = build_optout_report(session=session, first=period.first, last=period.last, now=context.now,
                                 tz=context.tz)
    messages = report.violations.assign(kind="message after opt-out: " + report.violations["timing"])[
        ["kind", "person_id", "channel", "campaign", "sent_at", "received_at", "honour_by", "honoured_at"]]
    late = report.late_opt_outs.assign(kind="opt-out applied late or not at all", campaign=None, sent_at=None)[
        ["kind", "person_id", "channel", "campaign", "sent_at", "received_at", "honour_by", "honoured_at"]]
    frames = [frame for frame in (messages, late) if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else messages


def requests_on_time(session: Session, context: CheckContext) -> pd.DataFrame:
    return late_requests(session=session, today=context.today)
