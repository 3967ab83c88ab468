"""The next allowed actions of a request (the header of its page) and the statuses its "Change status" offers:
only steps the workflow service accepts, nothing once closed, and the fulfilment when it is due."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dashboard.rules.request_workflow import (
    CONFIRM_PERSON,
    FULFILLED_BY_ACTION,
    FULFILMENT_LABELS,
    STEP_LABELS,
    TRANSITIONS,
    WORKABLE,
    RequestSituation,
    allowed_targets,
    check_transition,
    extension_open,
    next_actions,
)
from data_access.models.enums import OPEN_REQUEST_STATUSES, RequestStatus, RequestType

S, T = RequestStatus, RequestType
situations = st.builds(
    RequestSituation,
    status=st.sampled_from(list(S)),
    request_type=st.sampled_from(list(T)),
    person_confirmed=st.booleans(),
    fulfilled=st.booleans(),
    extension_open=st.booleans(),
)


@given(situations)
def test_every_offered_status_is_a_step_the_workflow_accepts(situation: RequestSituation) -> None:
    targets = allowed_targets(situation)
    assert set(targets) <= TRANSITIONS[situation.status]
    for (
        target
    ) in targets:  # with what the form asks for (a reason) and what the regime gives (an extension date)
        check_transition(situation.status, target, reason="given", extended_due=date(2027, 1, 1))
    assert (S.EXTENDED in targets) <= situation.extension_open
    assert (S.COMPLETED in targets) <= (
        situation.fulfilled or situation.request_type not in FULFILLED_BY_ACTION
    )


@given(situations)
def test_a_closed_request_has_no_next_action_and_an_open_one_can_always_be_rejected(
    situation: RequestSituation,
) -> None:
    actions = next_actions(situation)
    if situation.status not in OPEN_REQUEST_STATUSES:
        assert actions == () and allowed_targets(situation) == ()
    else:
        assert STEP_LABELS[S.REJECTED] in actions


@given(situations)
def test_the_fulfilment_is_offered_only_on_a_verified_request_for_a_confirmed_person(
    situation: RequestSituation,
) -> None:
    actions = next_actions(situation)
    fulfilment = FULFILMENT_LABELS.get(situation.request_type)
    offered = fulfilment is not None and fulfilment in actions
    assert offered == (
        situation.status in WORKABLE
        and situation.person_confirmed
        and not situation.fulfilled
        and fulfilment is not None
    )
    needs_person = (
        situation.status in OPEN_REQUEST_STATUSES
        and situation.request_type in FULFILLED_BY_ACTION
        and not situation.person_confirmed
    )
    assert (CONFIRM_PERSON in actions) == needs_person
    if needs_person:
        assert actions[0] == CONFIRM_PERSON


def test_a_new_access_request_reads_as_a_manager_would_work_it() -> None:
    new = RequestSituation(S.RECEIVED, T.ACCESS, person_confirmed=False, fulfilled=False, extension_open=True)
    assert next_actions(new) == (
        CONFIRM_PERSON,
        "start verifying the requester's identity",
        "mark the identity verified and start work",
        "reject the request (with a reason)",
        "close it as unverified",
    )
    working = RequestSituation(
        S.IN_PROGRESS, T.ACCESS, person_confirmed=True, fulfilled=False, extension_open=True
    )
    assert allowed_targets(working) == (S.EXTENDED, S.REJECTED)  # completion waits for the package
    assert next_actions(working)[0] == "build the access package"
    done = RequestSituation(
        S.IN_PROGRESS, T.ACCESS, person_confirmed=True, fulfilled=True, extension_open=False
    )
    assert allowed_targets(done) == (S.COMPLETED, S.REJECTED)


def test_an_extension_is_open_until_the_first_due_date_once_and_where_the_regime_allows_one() -> None:
    due = date(2026, 12, 5)
    assert extension_open(date(2027, 2, 5), due, None, today=due)
    assert not extension_open(date(2027, 2, 5), due, None, today=date(2026, 12, 6))  # the notice is late
    assert not extension_open(None, due, None, today=due)  # the regime allows none
    assert not extension_open(date(2027, 2, 5), due, date(2027, 2, 5), today=due)  # already extended


def test_an_erasure_or_suppression_is_done_once_a_package_or_correction_may_be_repeated() -> None:
    """Issue 24: the request page offered "Erase" again on an erased request. The form follows the
    rule, and the service refuses a second erasure whatever the page shows."""
    import pytest

    from dashboard.rules.request_workflow import WorkflowError, check_not_fulfilled, fulfilment_open

    for kind, repeatable in (
        (T.DELETION, False),
        (T.OPT_OUT_SALE, False),
        (T.ACCESS, True),
        (T.CORRECTION, True),
    ):
        done = RequestSituation(
            S.IN_PROGRESS, kind, person_confirmed=True, fulfilled=True, extension_open=False
        )
        assert fulfilment_open(done) == repeatable
        assert fulfilment_open(RequestSituation(S.IN_PROGRESS, kind, True, False, False))
        if repeatable:
            check_not_fulfilled(kind, fulfilled=True)
        else:
            with pytest.raises(WorkflowError, match="already fulfilled"):
                check_not_fulfilled(kind, fulfilled=True)
