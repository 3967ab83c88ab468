"""Evidence for the opt-out clause and for answering subject requests on time."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from dashboard.rules.optout_timing import VIOLATIONS
from dashboard.services.optout_report import trailing_period
from data_access.queries import optouts as q
from data_access.queries.requests import late_requests

OPT_OUT_WINDOW_MONTHS = 24


def optouts_honoured(session: Session, context: CheckContext) -> pd.DataFrame:
    """Promotional messages after an opt-out took effect or its legal limit, and opt-outs applied late.

    Only the two queries the verdict needs (not the whole opt-out report with its rates)."""
    period = trailing_period(context.today, OPT_OUT_WINDOW_MONTHS)
    until = min(context.now, period.until)
    violations = q.messages_after_opt_out(
        session=session,
        since=period.since,
        until=until,
        timings=VIOLATIONS,
        contacts=False,
        limit=context.evidence_limit,
    )
    columns = [
        "kind",
        "person_id",
        "channel",
        "campaign",
        "sent_at",
        "received_at",
        "honour_by",
        "honoured_at",
    ]
    messages = violations.assign(kind="message after opt-out: " + violations["timing"])[columns]
    late = q.late_opt_outs(session=session, since=period.since, until=period.until, now=until).assign(
        kind="opt-out applied late or not at all", campaign=None, sent_at=None
    )[columns]
    frames = [frame for frame in (messages, late) if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else messages


def requests_on_time(session: Session, context: CheckContext) -> pd.DataFrame:
    return late_requests(session=session, today=context.today)
