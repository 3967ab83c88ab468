"""Workflow rules: allowed and illegal transitions, what each needs, queue states and auto-close."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.request_workflow import (
    AUTO_CLOSE_UNVERIFIED_DAYS,
    TRANSITIONS,
    WorkflowError,
    check_transition,
    check_workable,
    queue_state,
    should_auto_close,
)
from data_access.models.enums import OPEN_REQUEST_STATUSES, RequestStatus

S = RequestStatus


def test_the_happy_path_is_allowed() -> None:
    check_transition(S.RECEIVED, S.VERIFYING)
    check_transition(S.VERIFYING, S.IN_PROGRESS)
    check_transition(S.IN_PROGRESS, S.EXTENDED, reason="complex", extended_due=date(2027, 1, 1))
    check_transition(S.EXTENDED, S.COMPLETED)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.COMPLETED),
        (S.VERIFYING, S.EXTENDED),
        (S.COMPLETED, S.IN_PROGRESS),
        (S.REJECTED, S.COMPLETED),
        (S.EXTENDED, S.EXTENDED),
    ],
)
def test_illegal_transitions_are_refused_naming_the_status_field(
    current: RequestStatus, target: RequestStatus
) -> None:
    with pytest.raises(WorkflowError) as error:
        check_transition(current, target, reason="x", extended_due=date(2027, 1, 1))
    assert error.value.field == "status"


def test_rejection_and_extension_need_a_reason_and_extension_needs_a_regime_that_allows_it() -> None:
    with pytest.raises(WorkflowError) as error:
        check_transition(S.IN_PROGRESS, S.REJECTED, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(WorkflowError, match="no extension"):
        check_transition(S.IN_PROGRESS, S.EXTENDED, reason="complex", extended_due=None)


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_closed_requests_never_move_and_open_ones_can_always_be_closed(
    current: RequestStatus, target: RequestStatus
) -> None:
    if current not in OPEN_REQUEST_STATUSES:
        assert not TRANSITIONS[current]
    else:
        assert S.REJECTED in TRANSITIONS[current]
    if target in TRANSITIONS[current] and target not in (S.REJECTED, S.EXTENDED):
        check_transition(current, target)


def test_only_verified_requests_in_work_can_be_fulfilled() -> None:
    check_workable(S.IN_PROGRESS)
    check_workable(S.EXTENDED)
    for status in (S.RECEIVED, S.VERIFYING, S.COMPLETED):
        with pytest.raises(WorkflowError):
            check_workable(status)


def test_queue_states_against_the_effective_due_date() -> None:
    today = date(2026, 11, 25)
    assert queue_state(S.IN_PROGRESS, date(2026, 12, 20), today).label == "on time"
    assert queue_state(S.IN_PROGRESS, date(2026, 12, 2), today).label == "due soon"  # 7 days left
    assert queue_state(S.EXTENDED, date(2026, 11, 24), today) == queue_state(
        S.EXTENDED, date(2026, 11, 24), today
    )
    assert queue_state(S.EXTENDED, date(2026, 11, 24), today).days_left == -1
    assert queue_state(S.EXTENDED, date(2026, 11, 24), today).label == "overdue"
    assert queue_state(S.COMPLETED, date(2026, 11, 24), today).label == "closed"


def test_unverified_requests_close_after_the_set_period_only() -> None:
    received = datetime(2026, 10, 1, 9, tzinfo=UTC)
    limit = received + timedelta(days=AUTO_CLOSE_UNVERIFIED_DAYS)
    assert not should_auto_close(S.VERIFYING, received, limit - timedelta(seconds=1))
    assert should_auto_close(S.VERIFYING, received, limit)
    assert not should_auto_close(S.IN_PROGRESS, received, limit + timedelta(days=90))
