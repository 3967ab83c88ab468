"""Every policy check fails on its planted demo violation and passes on the clean demo, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.checks.base import CheckContext
from dashboard.checks.catalogue import CHECKS, UNTESTABLE, run_checks, summary_frame
from dashboard.checks.policy_checks import failing_check_keys
from dashboard.demo.generate import load_demo
from data_access.db import session_factory
from data_access.queries.legal import transfer_not_notified
from data_access.queries.policy import policy_not_notified
from tests.conftest import DEMO_END

# What each planted violation looks like in the evidence.
PLANTED = {
    "optouts-honoured": ("kind", "message after opt-out: after legal limit"),
    "no-phone-or-sms-sharing": ("recipient", "Relaywave SMS Gateway"),
    "sharing-approved-recipients": ("recipient", "Metricly Analytics"),
    "sharing-service-purposes": ("purpose", "analytics.reporting"),
    "sharing-consent": ("recipient", "Hearken Feedback"),
    "disclosures-legally-required": ("authority", "Tribunal judiciaire de Paris"),
    "transfer-notified": ("counterparty", "Northgate Software Group"),
    "policy-change-notified": ("version", "2026.1"),
    "requests-on-time": ("status", "in_progress"),
    "collected-as-declared": ("kind", "email"),
    "incidents-documented": ("missing", "containment"),
    "breach-notices-on-time": ("status", "done late"),
    "records-past-retention": ("records_of", "accounts"),
}

# Planted by their own tests, with an erasure through the real service
# (tests/services/test_erasure_follow_through.py):
# the demo holds no erased person.
PLANTED_ELSEWHERE = {"erasure-recipients-notified", "erasure-contact-removed"}


def _results(engine: Engine, *, clean: bool) -> dict[str, object]:
    load_demo(engine, users=300, days=180, seed=13, end=DEMO_END, clean=clean)
    with session_factory(engine)() as session:
        return {r.key: r for r in run_checks(session=session, context=CheckContext(DEMO_END))}


def test_the_catalogue_covers_every_planted_violation_and_lists_untestable_clauses() -> None:
    assert {spec.key for spec in CHECKS} == set(PLANTED) | PLANTED_ELSEWHERE
    assert all(reason for _, reason in UNTESTABLE)


def test_each_check_fails_on_its_planted_violation(engine: Engine) -> None:
    results = _results(engine, clean=False)
    for key, (column, value) in PLANTED.items():
        result = results[key]
        assert not result.passed, key  # type: ignore[attr-defined]
        assert value in set(result.evidence[column].astype(str)), (key, result.evidence.head())  # type: ignore[attr-defined]


def test_every_check_passes_on_the_clean_demo(engine: Engine) -> None:
    failed = {
        key: len(r.evidence)
        for key, r in _results(engine, clean=True).items()  # type: ignore[attr-defined]
        if not r.passed
    }  # type: ignore[attr-defined]
    assert failed == {}


@pytest.mark.parametrize("key", sorted([*PLANTED, *PLANTED_ELSEWHERE]))
def test_checks_can_run_one_at_a_time(key: str, session) -> None:  # type: ignore[no-untyped-def]
    [result] = run_checks(session=session, context=CheckContext(DEMO_END), keys=[key])
    assert result.key == key and result.passed  # an empty database breaks no promise


def test_an_evidence_limit_shortens_the_lists_but_not_the_verdicts(engine: Engine) -> None:
    """Pages list fewer offending rows than exports (check_panel.PAGE_EVIDENCE_ROWS): each list is
    the first rows of the full one, says it was cut, and no verdict changes. The two people-scale
    lists stop in SQL."""
    full = _results(engine, clean=False)
    cut_at = 2
    with session_factory(engine)() as session:
        cut = {
            r.key: r
            for r in run_checks(session=session, context=CheckContext(DEMO_END, evidence_limit=cut_at))
        }
    long_lists = {key for key, r in full.items() if len(r.evidence) > cut_at}  # type: ignore[attr-defined]
    assert {"transfer-notified", "policy-change-notified"} <= long_lists  # the demo plants many of both
    for key, result in cut.items():
        whole = full[key].evidence  # type: ignore[attr-defined]
        assert result.passed == full[key].passed, key  # type: ignore[attr-defined]
        assert result.evidence.reset_index(drop=True).equals(whole.head(cut_at).reset_index(drop=True)), key
        assert result.listed_in_part == (key in long_lists or len(whole) == cut_at), key
        assert not full[key].listed_in_part, key  # type: ignore[attr-defined]  # the demo is far below the default


def test_the_summary_says_whether_a_list_is_complete(session) -> None:  # type: ignore[no-untyped-def]
    [result] = run_checks(
        session=session, context=CheckContext(DEMO_END, evidence_limit=1), keys=["requests-on-time"]
    )
    assert summary_frame([result])["evidence_complete"].tolist() == [True]  # nothing found: nothing was cut


def test_the_people_scale_lists_stop_in_sql(engine: Engine) -> None:
    """policy_not_notified and transfer_not_notified read only `limit` rows, the first of the full list."""
    load_demo(engine, users=300, days=180, seed=13, end=DEMO_END, clean=False)
    with session_factory(engine)() as session:
        for query in (policy_not_notified, transfer_not_notified):
            whole = query(session=session, today=DEMO_END.date())
            first = query(session=session, today=DEMO_END.date(), limit=3)
            assert len(whole) > 3 and first.equals(whole.head(3)), query.__name__


def test_the_overview_s_failing_keys_are_the_catalogue_s_failures(engine: Engine) -> None:
    """The Overview lists the failing checks from one offending row each: the same keys as the full
    catalogue."""
    load_demo(engine, users=300, days=180, seed=13, end=DEMO_END)
    with session_factory(engine)() as session:
        full = [r.key for r in run_checks(session=session, context=CheckContext(DEMO_END)) if not r.passed]
        assert failing_check_keys(session=session, now=DEMO_END, tz="UTC") == tuple(full)
    assert set(full) == set(PLANTED)
