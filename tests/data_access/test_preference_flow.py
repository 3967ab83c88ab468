"""Property (SQLite and PostgreSQL): after any sequence of preference changes, recorded in any time order and
with ties, the monthly flow kept by the service equals a rebuild from the history, and the transitions the
opt-out rates use equal a replay of the whole history at any cut-off, mid-month included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from dashboard.auth.service import Principal
from dashboard.services.preferences import PreferenceChange, record_preference_change
from data_access.db import session_factory, transaction
from data_access.models import PreferenceFlowMonthly
from data_access.models.enums import Channel, CommPurpose, PreferenceSource, PreferenceStatus, Role
from data_access.preference_flow import rebuild_preference_flow, transitions_from_history
from data_access.queries.optouts import preference_transitions
from tests.conftest import truncate_all
from tests.factories import make_person

MANAGER = Principal("manager", "Morgan Manager", Role.MANAGER)
START = datetime(2026, 1, 30, 22, tzinfo=UTC)
CHANGES = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from([Channel.EMAIL, Channel.SMS]),
        st.sampled_from([PreferenceStatus.OPTED_IN, PreferenceStatus.OPTED_OUT]),
        st.integers(0, 24 * 70).map(lambda h: START + timedelta(hours=h // 6 * 6)),
    ),
    min_size=1,
    max_size=25,
)


def _flow(engine: Engine) -> set[tuple[object, ...]]:
    with session_factory(engine)() as session:
        f = PreferenceFlowMonthly
        return {
            tuple(r)
            for r in session.execute(
                select(f.month, f.channel, f.purpose, f.from_status, f.to_status, f.people).where(
                    f.people != 0
                )
            )
        }


def _replayed(engine: Engine, until: datetime) -> pd.DataFrame:
    with session_factory(engine)() as session:
        history = transitions_from_history(until).subquery()
        keys = (history.c.month, history.c.channel, history.c.from_status, history.c.to_status)
        rows = session.execute(
            select(*keys, func.count()).where(history.c.purpose == "marketing").group_by(*keys)
        )
        return pd.DataFrame(list(rows), columns=["month", "channel", "from_status", "to_status", "people"])


def _canonical(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return sorted((str(m), str(c), str(f), str(t), int(n)) for m, c, f, t, n in frame.itertuples(index=False))


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=CHANGES, cut_hours=st.integers(0, 24 * 75))
def test_the_kept_flow_equals_a_rebuild_and_the_rates_input_equals_a_replay(
    engine: Engine,
    changes: list,  # type: ignore[type-arg]
    cut_hours: int,
) -> None:
    truncate_all(engine)
    with transaction(engine) as session:
        people = [make_person(session).id for _ in range(3)]
        for who, channel, status, at in changes:  # in the order drawn, not in time order
            record_preference_change(
                session=session,
                principal=MANAGER,
                audit=False,
                change=PreferenceChange(
                    person_id=people[who],
                    channel=channel,
                    purpose=CommPurpose.MARKETING,
                    new_status=status,
                    source=PreferenceSource.PREFERENCE_FORM,
                    received_at=at,
                ),
            )
    kept = _flow(engine)
    with transaction(engine) as session:
        rebuild_preference_flow(session)
    assert kept == _flow(engine)
    until = START + timedelta(hours=cut_hours)
    with session_factory(engine)() as session:
        used = preference_transitions(session=session, until=until)
    assert _canonical(used) == _canonical(_replayed(engine, until))
