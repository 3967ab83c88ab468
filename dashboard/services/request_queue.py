"""The request queue as the page shows it: every row with on time / due soon / overdue, and its days left or,
once late, its days overdue (rules.request_workflow.days_overdue, as the exports count them), never negative
days left."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.rules.request_workflow import queue_state
from dashboard.services.request_log import with_days_overdue
from data_access.models.enums import RequestStatus
from data_access.queries.requests import request_queue


def queue_with_state(*, session: Session, today: date, open_only: bool = True) -> pd.DataFrame:
    frame = request_queue(session=session, open_only=open_only)
    states = [
        queue_state(RequestStatus(status), due, today)
        for status, due in zip(frame["status"], frame["effective_due"], strict=True)
    ]
    late = with_days_overdue(frame, as_of=today)["days_overdue"]
    frame.insert(5, "state", [s.label for s in states])
    frame.insert(
        6,
        "days_left",
        pd.Series(
            [s.days_left if s.days_left is None or s.days_left >= 0 else None for s in states],
            index=frame.index,
            dtype="Int64",
        ),
    )
    frame.insert(7, "days_overdue", late)
    return frame
