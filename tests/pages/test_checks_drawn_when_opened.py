"""A policy check's clause and evidence are run and sent only while its expander is open (issue 27):
the Policy page drew twelve failing checks' evidence tables at once, the slowest page to draw in the
browser."""

from __future__ import annotations

import pytest

from data_access.models.enums import Role
from tests.pages.tabs import open_checks

PAGE = "pages/policy.py"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR])
def test_the_policy_page_sends_no_evidence_until_a_check_is_opened(app_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    app = app_for(PAGE, role).run()
    assert not app.exception, app.exception
    assert len(app.expander) >= 10 and not any(e.children for e in app.expander)
    assert len(app.dataframe) == 0


def test_opening_a_check_sends_its_clause_and_evidence_alone(app_for) -> None:  # type: ignore[no-untyped-def]
    app = open_checks(app_for(PAGE, Role.MANAGER), ["records-past-retention"]).run()
    assert not app.exception, app.exception
    opened = [e for e in app.expander if e.children]
    assert [e.label.split(" ", 1)[1].split(" — ")[0] for e in opened] == ["Nothing kept past its retention"]
    assert len(app.dataframe) == 1 and "records_of" in app.dataframe[0].value.columns
