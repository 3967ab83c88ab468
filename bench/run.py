"""`make bench`: page render times, per-person operations and peak memory on small and large
datasets, both engines.

Prints one table (with the large/small ratio per page) and writes bench/results/latest.json. Each page's first
render is measured twice, each time in a fresh process: "cold", with the OS page cache (and
PostgreSQL's shared buffers) emptied just before, where this machine lets us (bench.cache_state);
and "first", right after, with what the cold run read now in memory, as on a server that has been
running. "warm" is the re-render in the second process. Each figure is the median of PAGE_RUNS such
pairs: one run of a page that takes 0.2 s moves by a tenth from run to run, and a ratio of two
single runs moved with it.
Targets (issue 3): first render <= 1.5 s, warm <= 0.3 s, large/small <= 2; inventory <= 100 ms;
erasure <= 1 s; peak memory <= 1 GB. Issue 4: finding a person by part of a name, email or phone <= 100 ms.

`--only search` (or other probe names) measures just those probes, without the pages; with `--sizes
people`, on a people-only dataset of 1M people (no log lines or events), built in minutes instead of
half an hour. `--only memory` (issue 23): the peak memory of `compliance ingest access-log` on a
1M-line log and on a gzip of 2M bad lines, and of `compliance import people --dry-run` on a 200 MB
file, each in its own process on a scratch database (bench.memory; target 300 MB); and of
`compliance demo-bulk` at 100k and 400k people (issue 27; target 1 GB, and about the same at both
sizes). It needs no dataset, and the full run measures it with the small size.

`--only retention` (issue 28): `compliance retention purge` on a copy of the dataset, as of six
months after its newest line (bench.retention): seconds and records per category, peak memory, and
the check's count before and after (after must be 0); the full run measures it on both sizes.

`--only served` (issue 27, bench.served_memory): the served app's peak memory with four users, one per
role, on every page of theirs (target 1 GB); the full run measures it on both sizes.

The browser rows (bench.browser, issue 27) time every page as each role in headless Chromium, cold
and warm, as a ratio to an empty Streamlit page; size "demo" is `compliance demo`'s 2,000 people,
loaded afresh, on which only the browser is measured. `--only browser --sizes demo` runs just those.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from statistics import median
from typing import Any

from bench.browser import browser_pages, browser_table
from bench.cache_state import empty_caches
from bench.datasets import DEMO, SIZES, demo_dataset, ensure_dataset, scratch_url
from bench.memory import demo_bulk_peaks, memory_peaks
from bench.probes import SCALAR_PROBES, ingest_beside_goaccess, search_latency
from bench.retention import retention_lines, retention_purge
from bench.served_memory import served_app_peak, served_line
from tests.databases import postgres_admin_url

RESULTS = Path(__file__).resolve().parent / "results"
FULL_SCAN_PROBES = {"erasure_scan_s"}
PAGE_RUNS = 3


def measure(engine_name: str, size_name: str, rebuild: bool) -> dict[str, Any]:
    if size_name == DEMO.name:
        return measure_only(engine_name, size_name, rebuild, ["browser"])
    url, build_phases = ensure_dataset(engine_name, SIZES[size_name], rebuild)
    runs = []
    for _ in range(PAGE_RUNS):
        not_cold = empty_caches(url)
        runs.append((_render_pages(url), _render_pages(url)))
    pages = runs[0][1]["pages"]
    result: dict[str, Any] = {
        "pages": {
            page: {
                "cold": None if not_cold else median(cold["pages"][page]["first"] for cold, _ in runs),
                "first": median(cached["pages"][page]["first"] for _, cached in runs),
                "warm": median(cached["pages"][page]["warm"] for _, cached in runs),
                "errors": sum(run["pages"][page]["errors"] for pair in runs for run in pair),
            }
            for page in pages
        },
        "peak_rss_mb": max(run["peak_rss_mb"] for pair in runs for run in pair),
        "no_cold_figures_because": not_cold,
        "build_seconds_by_phase": build_phases,
    }
    # The erasure's verification scan reads every text column of every row: minutes at 20M log lines, so it is
    # measured on the small dataset only (its cost grows linearly with the data).
    result["probes"] = {
        name: probe(url)
        for name, probe in SCALAR_PROBES.items()
        if not (size_name == "large" and name in FULL_SCAN_PROBES)
    }
    result["probes"].update(search_latency(url))
    result["probes"].update(ingest_beside_goaccess(url))
    if size_name == "small":  # the files are the same whatever the dataset: measured once per engine
        result["memory"] = memory_figures(engine_name)
    result["browser"] = browser_pages(url)
    result["retention"] = retention_purge(url)
    result["served"] = served_app_peak(url)
    return result


def memory_figures(engine_name: str) -> list[dict[str, Any]]:
    peaks = memory_peaks(scratch_url(engine_name)) + demo_bulk_peaks(lambda: scratch_url(engine_name))
    return [asdict(peak) for peak in peaks]


def measure_only(engine_name: str, size_name: str, rebuild: bool, names: list[str]) -> dict[str, Any]:
    """Only the named probes: a scalar probe's name, "search", "ingest", "browser", "retention",
    "served" or "memory" (which needs no dataset)."""
    result: dict[str, Any] = {}
    if "memory" in names:
        result["memory"] = memory_figures(engine_name)
    if not set(names) - {"memory"}:
        return {**result, "probes": {}, "build_seconds_by_phase": None}
    if size_name == DEMO.name:
        url, build_phases = demo_dataset(engine_name), None
    else:
        url, build_phases = ensure_dataset(engine_name, SIZES[size_name], rebuild)
    probes: dict[str, float | None] = {}
    for name in names:
        if name == "memory":
            continue
        if name == "browser":
            result["browser"] = browser_pages(url)
        elif name == "search":
            probes.update(search_latency(url))
        elif name == "ingest":
            probes.update(ingest_beside_goaccess(url))
        elif name == "retention":
            result["retention"] = retention_purge(url)
        elif name == "served":
            result["served"] = served_app_peak(url)
        else:
            probes[name] = SCALAR_PROBES[name](url)
    return {**result, "probes": probes, "build_seconds_by_phase": build_phases}


def _render_pages(url: str) -> dict[str, Any]:
    """Every page rendered twice in a fresh process (bench.pages): its own Streamlit cache and peak memory."""
    worker = subprocess.run(
        [sys.executable, "-m", "bench.pages", url], capture_output=True, text=True, check=True
    )
    return json.loads(worker.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = []
    for engine_name in sorted({key.split("/")[0] for key in results}):
        small, large = results.get(f"{engine_name}/small"), results.get(f"{engine_name}/large")
        lines.append(f"\n{engine_name}")
        pages = (small or large or {}).get("pages", {})  # none when only probes were run (--only)
        if pages:
            lines.append(f"  {'':16}{'small':^27}{'large':^27}{'large/small':^18}")
            lines.append(
                f"  {'page':16}" + f"{'cold':>9}{'first':>9}{'warm':>9}" * 2 + f"{'cold':>9}{'first':>9}"
            )
        for page in pages:
            s = (small or {}).get("pages", {}).get(page, {})
            g = (large or {}).get("pages", {}).get(page, {})
            failed = " ERROR" if (s or {}).get("errors") or (g or {}).get("errors") else ""
            lines.append(
                f"  {page:16}"
                + "".join(f"{_s(t.get(k)):>9}" for t in (s, g) for k in ("cold", "first", "warm"))
                + "".join(f"{_ratio(g.get(k), s.get(k)):>9}" for k in ("cold", "first"))
                + failed
            )
        for label in [size for size in (DEMO.name, *SIZES) if f"{engine_name}/{size}" in results]:
            data = results[f"{engine_name}/{label}"]
            if "browser" in data:
                lines.append(f"  {label}:")
                lines.extend(browser_table(data["browser"]))
            if "served" in data:
                lines.append(served_line(data["served"]))
            if data.get("no_cold_figures_because"):
                lines.append(f"  {label}: no cold figures: {data['no_cold_figures_because']}")
            probes = ", ".join(f"{k} {_s(v)}" for k, v in data["probes"].items())
            built = _build(data["build_seconds_by_phase"])
            rss = f"peak RSS {data['peak_rss_mb']:.0f} MB, " if "peak_rss_mb" in data else ""
            if probes or rss or built:
                lines.append(f"  {label}: {rss}{probes}{built}")
            lines.extend(_memory_lines(data.get("memory", [])))
            if "retention" in data:
                lines.extend(retention_lines(label, data["retention"]))
        if (
            f"{engine_name}/small" in results
            and "retention" in results[f"{engine_name}/small"]
            and f"{engine_name}/large" not in results
        ):
            lines.append(
                f"  large: not measured here; run: python -m bench.run --only retention "
                f"--sizes large --engines {engine_name}"
            )
    return "\n".join(lines)


def _memory_lines(peaks: list[dict[str, Any]]) -> list[str]:
    """One line per command: its peak memory and target, flagged when over it or when the command failed."""
    if not peaks:
        return []
    width = max(len(peak["name"]) for peak in peaks)
    return ["  peak memory:"] + [
        f"    {peak['name']:<{width}} {peak['megabytes']:>6.0f} MB"
        + (" OVER TARGET" if peak["megabytes"] > peak["target_mb"] else "")
        + (f" (exit {peak['exit_code']})" if peak["exit_code"] else "")
        + f"  (target {peak['target_mb']} MB)"
        for peak in peaks
    ]


def _build(phases: dict[str, float] | None) -> str:
    if not phases:
        return ""
    steps = ", ".join(f"{name} {seconds:.0f}" for name, seconds in phases.items() if name != "total")
    return f", built in {phases['total']:.0f} s ({steps})"


def _ratio(large: float | None, small: float | None) -> str:
    return f"{large / small:.1f}" if large is not None and small else "-"


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=f"{DEMO.name},small,large")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the datasets even if present")
    parser.add_argument(
        "--only",
        help="comma-separated probes to run alone, without the pages: "
        f"browser, search, ingest, memory, retention, served, {', '.join(SCALAR_PROBES)}",
    )
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e != "postgresql" or postgres_admin_url()]
    only = args.only.split(",") if args.only else None
    known = {"browser", "search", "ingest", "memory", "retention", "served", *SCALAR_PROBES}
    unknown = sorted(set(only or ()) - known)
    if unknown:
        parser.error(f"--only: unknown probe {', '.join(unknown)}")
    sizes = args.sizes.split(",")
    if only and set(only) == {"memory"}:
        sizes = sizes[:1]  # the same files whatever the dataset: once per engine
    results = {
        f"{e}/{s}": measure_only(e, s, args.rebuild, only) if only else measure(e, s, args.rebuild)
        for e in engines
        for s in sizes
    }
    print(table(results))
    RESULTS.mkdir(exist_ok=True)
    written = RESULTS / (
        "latest-only.json" if only else "latest.json"
    )  # a partial run keeps the full run's file
    written.write_text(json.dumps(results, indent=2))
    print(f"\nwritten {written}")


if __name__ == "__main__":
    main()
