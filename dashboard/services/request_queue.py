"""The request queue as the page shows it: every row with its days left and on time / due soon / overdue."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.rules.request_workflow import queue_state
from data_access.models.enums import RequestStatus
from data_access.queries.requests import request_queue


def queue_with_state(*, session: Session, today: date, open_only: bool = True) -> pd.DataFrame:
    frame = request_queue(session=session, open_only=open_only)
    states = [queue_state(RequestStatus(status), due, today)
              for status, due in zip(frame["status"], frame["effective_due"], strict=True)]
    frame.insert(5, "state", [s.label for s in states])
    frame.insert(6, "days_left", pd.Series([s.days_left for s in states], index=frame.index, dtype="Int64"))
    return frame
