"""Opt-out figures and the opt-out history."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from data_access.gateway import read_df
from data_access.models import CommunicationPreference, Contact, PreferenceEvent
from data_access.models.enums import PreferenceStatus


def preference_counts(*, session: Session) -> pd.DataFrame:
    """Current preferences per channel and purpose: people opted in, opted out, and the rate."""
    p = CommunicationPreference
    opted_out = func.sum(case((p.status == PreferenceStatus.OPTED_OUT, 1), else_=0))
    return read_df(session, select(p.channel, p.purpose, func.count().label("people"),
                                   opted_out.label("opted_out")).group_by(p.channel, p.purpose)
                   .order_by(p.purpose, p.channel))


def recent_opt_outs(*, session: Session, limit: int = 200) -> pd.DataFrame:
    """The newest opt-outs with deadline and honour time (person data: managers and auditors only)."""
    e = PreferenceEvent
    stmt = select(e.id, e.person_id, Contact.email, e.channel, e.purpose, e.source, e.rule, e.received_at,
                  e.honour_by, e.honoured_at).join(Contact, Contact.person_id == e.person_id, isouter=True).where(
        e.new_status == PreferenceStatus.OPTED_OUT).order_by(e.received_at.desc())
    return read_df(session, stmt, limit=limit)
