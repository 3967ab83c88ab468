"""`make bench`: page render times, per-person operations and peak memory on small and large datasets, both engines.

Prints one table (with the large/small ratio per page) and writes bench/results/latest.json.
Targets (issue 3): first render <= 1.5 s, warm <= 0.3 s, large/small <= 2; inventory <= 100 ms;
erasure <= 1 s; peak memory <= 1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.datasets import SIZES, ensure_dataset
from bench.probes import SCALAR_PROBES, ingest_beside_goaccess
from tests.databases import postgres_admin_url

RESULTS = Path(__file__).resolve().parent / "results"
FULL_SCAN_PROBES = {"erasure_scan_s"}


def measure(engine_name: str, size_name: str, rebuild: bool) -> dict[str, Any]:
    url, build_phases = ensure_dataset(engine_name, SIZES[size_name], rebuild)
    worker = subprocess.run([sys.executable, "-m", "bench.pages", url], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(worker.stdout.strip().splitlines()[-1])
    result["build_seconds_by_phase"] = build_phases
    # The erasure's verification scan reads every text column of every row: minutes at 20M log lines, so it is
    # measured on the small dataset only (its cost grows linearly with the data).
    result["probes"] = {name: probe(url) for name, probe in SCALAR_PROBES.items()
                        if not (size_name == "large" and name in FULL_SCAN_PROBES)}
    result["probes"].update(ingest_beside_goaccess(url))
    return result


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = []
    for engine_name in sorted({key.split("/")[0] for key in results}):
        small, large = results.get(f"{engine_name}/small"), results.get(f"{engine_name}/large")
        lines.append(f"\n{engine_name}")
        lines.append(f"  {'page':16}{'small first':>12}{'small warm':>11}{'large first':>12}{'large warm':>11}{'ratio':>7}")
        for page in (small or large or {}).get("pages", {}):
            s = (small or {}).get("pages", {}).get(page, {})
            g = (large or {}).get("pages", {}).get(page, {})
            ratio = g["first"] / s["first"] if s and g and s["first"] else None
            failed = " ERROR" if (s or {}).get("errors") or (g or {}).get("errors") else ""
            lines.append(f"  {page:16}{_s(s.get('first')):>12}{_s(s.get('warm')):>11}{_s(g.get('first')):>12}"
                         f"{_s(g.get('warm')):>11}{(f'{ratio:.1f}' if ratio else '-'):>7}{failed}")
        for label, data in (("small", small), ("large", large)):
            if data:
                probes = ", ".join(f"{k} {_s(v)}" for k, v in data["probes"].items())
                built = _build(data["build_seconds_by_phase"])
                lines.append(f"  {label}: peak RSS {data['peak_rss_mb']:.0f} MB, {probes}{built}")
    return "\n".join(lines)


def _build(phases: dict[str, float] | None) -> str:
    if not phases:
        return ""
    steps = ", ".join(f"{name} {seconds:.0f}" for name, seconds in phases.items() if name != "total")
    return f", built in {phases['total']:.0f} s ({steps})"


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the datasets even if present")
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e != "postgresql" or postgres_admin_url()]
    results = {f"{e}/{s}": measure(e, s, args.rebuild) for e in engines for s in args.sizes.split(",")}
    print(table(results))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    print(f"\nwritten {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()
