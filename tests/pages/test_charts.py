"""Charts are pure functions: tested on fig.data."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.services.optout_report import Period
from dashboard.ui.charts import lines_by

RATES = pd.DataFrame(
    {
        "month": ["2026-10", "2026-11", "2026-12"] * 2,
        "channel": ["email"] * 3 + ["sms"] * 3,
        "opt_out_flow": [0.02, 0.021, 0.001, 0.01, 0.012, 0.0],
    }
)


def test_the_month_to_date_is_drawn_apart_and_said_so() -> None:
    figure = lines_by(
        RATES, x="month", y="opt_out_flow", by="channel", title="Flow", y_title="flow", partial="2026-12"
    )
    solid = [t for t in figure.data if t.line.dash is None]
    dotted = [t for t in figure.data if t.line.dash == "dot"]
    assert [list(t.x) for t in solid] == [["2026-10", "2026-11"]] * 2
    assert [list(t.x) for t in dotted] == [["2026-11", "2026-12"]] * 2
    assert all(s.line.color == d.line.color for s, d in zip(solid, dotted, strict=True))
    assert "month to date" in figure.layout.title.text


def test_without_a_partial_month_every_point_is_on_one_line() -> None:
    figure = lines_by(RATES, x="month", y="opt_out_flow", by="channel", title="Flow", y_title="flow")
    assert [len(t.x) for t in figure.data] == [3, 3] and "to date" not in figure.layout.title.text


def test_the_current_month_of_a_period_is_its_month_to_date() -> None:
    period = Period(date(2026, 1, 1), date(2026, 12, 1))
    assert period.month_to_date(date(2026, 12, 5)) == "2026-12"
    assert period.month_to_date(date(2027, 1, 1)) is None
