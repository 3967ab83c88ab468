"""Every table on every page, for every role, reads without help (issue 25 item 4): headers are words from
presentation.columns (no `requester_email`), no cell shows "None" or "nan", moments are in one
format with the zone named, and a privacy-law code is shown by its name."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.presentation.columns import COLUMNS
from dashboard.rules.regimes import BREACH_STATE_NAMES, OPTOUT_RULE_LABELS, REGIME_LABELS, regime_name
from dashboard.ui.navigation import pages_for
from data_access.models.enums import Role
from tests.pages.tabs import open_checks

MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RAW = {"None", "nan", "NaN", "NaT", "<NA>"}

# every name a regime column may show: the privacy laws, the state breach laws on the incident clocks and the
# opt-out rules' laws (Communications)
LAW_NAMES = (
    set(REGIME_LABELS.values())
    | {regime_name(f"us-{state.lower()}") for state in BREACH_STATE_NAMES}
    | set(OPTOUT_RULE_LABELS.values())
)


def tables(app: AppTest) -> Iterator[tuple[pd.DataFrame, dict[str, str]]]:
    """Each table's data and the header the browser draws for each column (its column_config label,
    or the name)."""
    for element in app.dataframe:
        config = json.loads(element.proto.columns or "{}")
        headers = {str(c): (config.get(str(c)) or {}).get("label") or str(c) for c in element.value.columns}
        yield element.value, headers


def states(app: AppTest, slug: str) -> Iterator[AppTest]:
    """The page as first shown, each of its views (a radio labelled View), a request's own page (its facts and
    timeline) and a person's inventory found by a search, where the page has them; every policy check open."""
    open_checks(app).run()
    assert not app.exception, app.exception
    yield app
    view = next((r for r in app.radio if r.label == "View"), None)
    for option in view.options[1:] if view is not None else []:
        next(r for r in app.radio if r.label == "View").set_value(option).run()
        assert not app.exception, app.exception
        yield app
    if view is not None and "A person" in view.options:
        next(r for r in app.radio if r.label == "View").set_value("A person").run()
        next(t for t in app.text_input if t.label == "Find a person").input("example").run()
        assert not app.exception, app.exception
        yield app
    chooser = next((s for s in app.selectbox if s.label == "Request"), None)
    if slug == "requests" and chooser is not None and len(chooser.options) > 1:
        chooser.select(chooser.options[1]).run()
        assert not app.exception, app.exception
        yield app


CASES = [(role, spec.slug, spec.script) for role in Role for spec in pages_for(role)]


@pytest.mark.parametrize(("role", "slug", "script"), CASES, ids=[f"{r.value}-{s}" for r, s, _ in CASES])
def test_every_table_reads_without_help(
    app_for: Callable[..., AppTest], role: Role, slug: str, script: str
) -> None:
    seen = 0
    for app in states(app_for(script, role), slug):
        for frame, headers in tables(app):
            seen += 1
            unnamed = [c for c in frame.columns if str(c) not in COLUMNS]
            assert not unnamed, f"columns not named in presentation.columns: {unnamed}"
            raw = [h for h in headers.values() if "_" in h or h in COLUMNS and h != COLUMNS[h].label]
            assert not raw, f"raw headers: {raw}"
            for column in frame.columns:
                values = frame[column]
                assert not values.isna().any(), f"{headers[str(column)]}: an empty cell draws as None"
                shown = {str(v) for v in values}
                assert not shown & RAW, f"{headers[str(column)]}: {sorted(shown & RAW)}"
                kind = COLUMNS[str(column)].kind
                if kind == "timestamp":
                    odd = [v for v in shown if v != "—" and not MOMENT.match(v)]
                    assert not odd, f"{headers[str(column)]}: {odd[:3]}"
                if kind == "date":
                    odd = [v for v in shown if v != "—" and not DAY.match(v)]
                    assert not odd, f"{headers[str(column)]}: {odd[:3]}"
                if kind == "regime":
                    assert shown <= LAW_NAMES, shown - LAW_NAMES
    if slug in ("requests", "policy") and role in (Role.MANAGER, Role.AUDITOR):
        assert seen, "a page that lists requests showed no table"


def test_the_request_queue_names_each_law(app_for: Callable[..., AppTest]) -> None:
    app = app_for("pages/requests.py", Role.MANAGER).run()
    laws = {law for frame, _ in tables(app) if "regime" in frame.columns for law in frame["regime"]}
    assert laws and laws <= set(REGIME_LABELS.values()), laws
    assert not {"or", "tx", "gdpr", "none"} & laws


OVERDUE = re.compile(r"^\d+ days? overdue$")


def test_late_requests_read_as_days_overdue_in_the_queue_and_on_their_page(
    app_for: Callable[..., AppTest],
) -> None:
    """One rule (rules.request_workflow.days_overdue), one wording: "67 days overdue", never "-67"
    days left."""
    app = app_for("pages/requests.py", Role.MANAGER).run()
    queue = next(frame for frame, _ in tables(app) if "state" in frame.columns)
    late = queue[queue["state"] == "overdue"]
    assert not late.empty, "the demo has overdue requests"
    assert all(OVERDUE.match(str(v)) for v in late["days_overdue"]), late["days_overdue"].tolist()[:3]
    assert not [v for v in queue["days_left"] if str(v).startswith("-")]
    metrics = {m.label: str(m.value) for m in app.metric}
    if "Late" in metrics:  # the most urgent open request opens first (the KPI tab has its own "Overdue")
        assert OVERDUE.match(metrics["Late"]), metrics["Late"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EXECUTIVE])
def test_every_policy_check_is_shown_by_its_title(app_for: Callable[..., AppTest], role: Role) -> None:
    from dashboard.checks.catalogue import CHECKS

    app = app_for("pages/policy.py", role).run()
    assert not app.exception
    if role == Role.MANAGER:
        shown = " ".join(e.label for e in app.expander)
    else:
        shown = " ".join(str(v) for frame, _ in tables(app) for v in frame.get("title", []))
    assert not [spec.title for spec in CHECKS if spec.title not in shown]
