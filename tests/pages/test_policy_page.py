"""The Policy page per role with the retention check (docs/retention.md): managers and auditors see
which records are past their retention, oldest first; executives see the verdict and its count
only."""

from __future__ import annotations

import pytest

from data_access.models.enums import Role
from tests.pages.tabs import open_checks

PAGE = "pages/policy.py"


def _frame(app, column: str):  # type: ignore[no-untyped-def]
    return next((f.value for f in app.dataframe if column in f.value.columns), None)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_managers_and_auditors_see_the_records_past_retention(app_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    app = open_checks(app_for(PAGE, role), ["records-past-retention"]).run()
    assert not app.exception and not app.error
    assert any(e.label.startswith(":material/error: Nothing kept past its retention") for e in app.expander)
    evidence = _frame(app, "records_of")
    assert evidence is not None and "accounts" in set(evidence["records_of"]), (
        evidence
    )  # the demo's closed accounts
    assert list(evidence["oldest"]) == sorted(evidence["oldest"])  # oldest first
    assert (evidence["records"] > 0).all()


def test_executives_see_the_verdict_and_count_only(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, Role.EXECUTIVE).run()
    assert not app.exception and not app.error
    summary = _frame(app, "check")
    row = summary[summary["check"] == "records-past-retention"]
    assert list(row["status"]) == ["fail"]
    assert _frame(app, "records_of") is None
