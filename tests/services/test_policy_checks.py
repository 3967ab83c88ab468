"""Every policy check fails on its planted demo violation and passes on the clean demo, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.checks.base import CheckContext
from dashboard.checks.catalogue import CHECKS, UNTESTABLE, run_checks
from dashboard.demo.generate import load_demo
from data_access.db import session_factory
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
}


def _results(engine: Engine, *, clean: bool) -> dict[str, object]:
    load_demo(engine, users=300, days=180, seed=13, end=DEMO_END, clean=clean)
    with session_factory(engine)() as session:
        return {r.key: r for r in run_checks(session=session, context=CheckContext(DEMO_END))}


def test_the_catalogue_covers_every_planted_violation_and_lists_untestable_clauses() -> None:
    assert {spec.key for spec in CHECKS} == set(PLANTED)
    assert all(reason for _, reason in UNTESTABLE)


def test_each_check_fails_on_its_planted_violation(engine: Engine) -> None:
    results = _results(engine, clean=False)
    for key, (column, value) in PLANTED.items():
        result = results[key]
        assert not result.passed, key  # type: ignore[attr-defined]
        assert value in set(result.evidence[column].astype(str)), (key, result.evidence.head())  # type: ignore[attr-defined]


def test_every_check_passes_on_the_clean_demo(engine: Engine) -> None:
    failed = {key: len(r.evidence) for key, r in _results(engine, clean=True).items()  # type: ignore[attr-defined]
              if not r.passed}  # type: ignore[attr-defined]
    assert failed == {}


@pytest.mark.parametrize("key", sorted(PLANTED))
def test_checks_can_run_one_at_a_time(key: str, session) -> None:  # type: ignore[no-untyped-def]
    [result] = run_checks(session=session, context=CheckContext(DEMO_END), keys=[key])
    assert result.key == key and result.passed  # an empty database breaks no promise
