"""The Overview as a morning view: managers see what needs action with a way to it, executives
twelve months of each headline figure and no exact small count of people."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.overview_view import TREND_KEY
from data_access.models.enums import Role


def _text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(
        [m.value for m in app.markdown]
        + [c.value for c in app.caption]
        + [s.value for s in app.subheader]
        + [s.value for s in app.success]
    )


def test_a_manager_sees_what_needs_action_today_each_with_its_page(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/overview.py", Role.MANAGER).run()
    assert not app.exception
    text = _text(app)
    assert "Needs action today" in text
    assert re.search(r"\*\*\d[\d,]*\*\* subject request\(s\) overdue", text)
    assert re.search(r"\*\*\d+\*\* policy check\(s\) failing: ", text)  # the demo plants violations
    assert "Twelve months" not in text


def test_an_executive_sees_twelve_months_with_changes_and_no_action_list(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/overview.py", Role.EXECUTIVE).run()
    assert not app.exception
    text = _text(app)
    assert "Needs action today" not in text and "Twelve months" in text
    labels = {m.label for m in app.metric}
    assert {"Email opt-out rate", "Requests received", "Answered on time", "Policy checks passing"} <= labels


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.AUDITOR])
def test_twelve_months_one_chart_at_a_time(app_for: Callable[..., AppTest], role: Role) -> None:
    """Four plotly charts at once: the Overview was the slowest page to draw (issue 27)."""
    app = app_for("pages/overview.py", role).run()
    assert not app.exception
    trend = next(control for control in app.button_group if control.label == "Trend")
    titles = list(trend.options)
    assert len(titles) == 4 and len(app.get("plotly_chart")) == 1
    for title in titles:
        app.session_state[TREND_KEY] = title
        app.run()
        charts = app.get("plotly_chart")
        layout = json.loads(charts[0].proto.spec)["layout"]
        assert len(charts) == 1 and title in layout["title"]["text"]


def test_an_executive_never_sees_an_exact_count_of_1_to_4_requests(app_for) -> None:  # type: ignore[no-untyped-def]
    app = app_for("pages/overview.py", Role.EXECUTIVE).run()
    people = ("Open subject requests", "Overdue requests", "Requests received", "Requests answered")
    for metric in app.metric:
        if metric.label in people:
            assert metric.value not in {"1", "2", "3", "4"}, (metric.label, metric.value)
    assert any("<5" in c.value for c in app.caption)
