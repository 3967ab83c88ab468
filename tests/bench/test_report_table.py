"""The benchmark's table puts cold and cached first renders side by side, and never shows a cold figure or a
cold ratio that was not measured with the caches emptied."""

from __future__ import annotations

from typing import Any

from bench.cache_state import _restart_postgres
from bench.run import table


def _result(cold: float | None, first: float, warm: float, why_not: str | None = None) -> dict[str, Any]:
    return {
        "pages": {"usage": {"cold": cold, "first": first, "warm": warm, "errors": 0.0}},
        "peak_rss_mb": 250.0,
        "no_cold_figures_because": why_not,
        "probes": {},
        "build_seconds_by_phase": None,
    }


def test_each_ratio_compares_the_same_cache_state() -> None:
    printed = table({"sqlite/small": _result(0.4, 0.2, 0.05), "sqlite/large": _result(1.0, 0.3, 0.06)})

    row = next(line for line in printed.splitlines() if line.strip().startswith("usage"))
    assert row.split()[1:] == ["0.400", "0.200", "0.050", "1.000", "0.300", "0.060", "2.5", "1.5"]


def test_without_emptied_caches_there_is_no_cold_figure_and_the_table_says_why() -> None:
    why = "emptying the OS page cache needs root"
    printed = table(
        {"sqlite/small": _result(None, 0.2, 0.05, why), "sqlite/large": _result(None, 0.3, 0.06, why)}
    )

    row = next(line for line in printed.splitlines() if line.strip().startswith("usage"))
    assert row.split()[1:] == ["n/a", "0.200", "0.050", "n/a", "0.300", "0.060", "-", "1.5"]
    assert f"large: no cold figures: {why}" in printed


def test_a_remote_postgresql_is_not_restarted() -> None:
    assert "not on this machine" in (_restart_postgres("db.example.com", 5432) or "")


def test_probes_run_alone_on_the_people_dataset_are_listed_without_pages() -> None:
    """`python -m bench.run --only search --sizes people`: the search figures, no page rows, no peak
    memory."""
    only = {
        "probes": {"search_first_median_s": 0.04, "search_median_s": 0.031, "search_max_s": 0.055},
        "build_seconds_by_phase": None,
    }
    printed = table({"sqlite/people": only, "postgresql/people": only})

    assert (
        printed.count("people: search_first_median_s 0.040, search_median_s 0.031, search_max_s 0.055") == 2
    )
    assert "usage" not in printed and "large/small" not in printed


def test_browser_rows_divide_each_page_by_the_empty_page_and_mark_those_over_target() -> None:
    page = {
        "cold": 1.0,
        "warm": 0.9,
        "warm_run": 0.3,
        "ws_bytes": 66_000,
        "dataframe_rows": 155,
        "chart_points": 324,
        "errors": 0,
    }
    browser = {"empty": {"cold": 0.5, "warm": 0.5}, "pages": {"manager": {"usage": page}}}

    printed = table({"sqlite/demo": {"probes": {}, "build_seconds_by_phase": None, "browser": browser}})

    row = next(line for line in printed.splitlines() if line.strip().startswith("manager"))
    # "-": a run from before switches were timed
    assert row.split() == [
        "manager",
        "usage",
        "2.00",
        "1.80!",
        "-",
        "1.000",
        "0.900",
        "0.300",
        "66.0",
        "155",
        "324",
        "-",
        "-",
    ]


def test_browser_rows_divide_a_switch_to_each_page_by_a_switch_to_the_empty_page() -> None:
    """What a user waits for moving between pages: a switch in the open app (issue 27)."""
    page = {
        "cold": 1.0,
        "warm": 0.9,
        "switch": 0.6,
        "warm_run": 0.3,
        "ws_bytes": 66_000,
        "dataframe_rows": 155,
        "chart_points": 324,
        "elements": 29,
        "charts": 2,
        "errors": 0,
    }
    browser = {"empty": {"cold": 0.5, "warm": 0.5, "switch": 0.3}, "pages": {"manager": {"usage": page}}}
    run = {"probes": {}, "build_seconds_by_phase": None, "browser": browser}

    printed = table({"sqlite/demo": run})

    row = next(line for line in printed.splitlines() if line.strip().startswith("manager"))
    assert row.split()[2:5] == ["2.00", "1.80!", "2.00!"] and row.split()[-2:] == ["29", "2"]
    assert "0.300 s switched to" in printed
