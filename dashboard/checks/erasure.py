"""Evidence that an erasure was followed through: every recipient told (or the reason it could not be), and
the requester's contact not kept past its retention (dashboard.rules.erasure_follow_through,
docs/erasure.md)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.checks.base import CheckContext
from dashboard.rules.erasure_follow_through import (
    CONTACT_RETENTION_DAYS,
    NOTICE_DAYS,
    contact_cutoff,
    notice_cutoff,
)
from data_access.queries.erasure_follow_through import contacts_kept, outstanding_notices


def erasure_recipients_notified(session: Session, context: CheckContext) -> pd.DataFrame:
    found = outstanding_notices(
        session=session, erased_before=notice_cutoff(context.now), limit=context.evidence_limit
    )
    return found.assign(problem=f"no notice of the erasure recorded {NOTICE_DAYS} days after it")


def erasure_contact_removed(session: Session, context: CheckContext) -> pd.DataFrame:
    found = contacts_kept(
        session=session, erased_before=contact_cutoff(context.now), limit=context.evidence_limit
    )
    return found.assign(
        problem=f"the requester's contact is still kept {CONTACT_RETENTION_DAYS} days after the "
        "erasure; confirm the completion on the request page"
    )
