"""Peak memory of the CLI's imports (issue 23 item 2): each run in its own process, on a scratch database.

The files are made here: a realistic Combined-format access log (many clients, pages, invoices, agents and
referrers, so the caches and rollups see a real log's variety), a gzip of bad lines (a small file that
unpacks to millions of rejections) and a people CSV for `import people --dry-run`. The figure is the peak
resident set of the largest process of the command (ru_maxrss over the command's processes, read in
a small wrapper process: the CLI, or one of its parsing workers, whichever peaked higher; workers
are forked, so summing them would count shared pages twice).
Targets: <= 300 MB for the 1M-line log and for the 2M-bad-line gzip, whatever the file's size.

`compliance demo-bulk` (issue 27: 7.6 GB at 1M people) is measured the same way at two sizes with the large
dataset's proportions (20 log lines and 5 events a person), each into a new empty database: target 1 GB, and
the larger run's peak about the smaller's, which shows the peak does not grow with the size.
"""

from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

LOG_LINES = 1_000_000
BAD_LINES = 2_000_000
PEOPLE_BYTES = 200 * 2**20
TARGET_MB = 300
DEMO_BULK_PEOPLE = (100_000, 400_000)
DEMO_BULK_TARGET_MB = 1000

_AGENTS = [
    (
        f"Mozilla/5.0 ({system}) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"{browser}/{major}.0.{minor}.0 Safari/537.36"
    )
    for system in (
        "Windows NT 10.0; Win64; x64",
        "Macintosh; Intel Mac OS X 10_15_7",
        "X11; Linux x86_64",
        "Linux; Android 14; Pixel 8",
        "iPhone; CPU iPhone OS 17_5 like Mac OS X",
    )
    for browser in ("Chrome", "Edg", "OPR")
    for major in range(110, 131)
    for minor in (0, 1, 2)
]
_AGENTS += ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.5.0", "-"]
_PAGES = [
    "/",
    "/login",
    "/dashboard",
    "/pricing",
    "/invoices",
    "/invoices/{n}",
    "/invoices/{n}/pdf",
    "/customers/{n}",
    "/subscriptions/{n}/edit",
    "/reports/{y}-{m:02d}",
    "/static/app.{h}.js",
    "/static/app.{h}.css",
    "/api/v1/invoices/{n}",
    "/settings",
    "/logout",
]
_REFERRERS = [
    "-",
    "-",
    "https://www.google.com/",
    "https://www.bing.com/search?q=billing+{n}",
    "https://app.interfacebilling.example/dashboard",
    "https://news.ycombinator.com/item?id={n}",
]


@dataclass(frozen=True)
class Peak:
    name: str
    megabytes: float
    exit_code: int
    target_mb: int = TARGET_MB


def write_access_log(path: Path, lines: int = LOG_LINES, seed: int = 23) -> Path:
    """`lines` Combined-format lines over 30 days: 40k client addresses, 5k users named in query strings."""
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    step = 30 * 86_400 / max(lines, 1)
    with path.open("w", encoding="ascii") as out:
        for i in range(lines):
            n = rng.randrange(1, 200_000)
            page = rng.choice(_PAGES).format(n=n, y=2026, m=rng.randint(1, 12), h=f"{n % 97:02x}{n % 89:02x}")
            query = f"?uid=U{rng.randrange(1, 5_000):07d}" if rng.random() < 0.6 else ""
            status = 200 if rng.random() < 0.9 else rng.choice((301, 302, 304, 404, 500))
            moment = start + timedelta(seconds=i * step)
            out.write(
                f"10.{rng.randrange(4)}.{rng.randrange(100)}.{rng.randrange(100)} - - "
                f'[{moment:%d/%b/%Y:%H:%M:%S +0000}] "{rng.choice(("GET", "GET", "GET", "POST"))} '
                f'{page}{query} HTTP/1.1" {status} {rng.randrange(200, 90_000)} '
                f'"{rng.choice(_REFERRERS).format(n=n)}" "{rng.choice(_AGENTS)}"\n'
            )
    return path


def write_bad_gzip(path: Path, lines: int = BAD_LINES) -> Path:
    """A gzip of `lines` lines that are not log lines: a few hundred KB that unpack to millions of
    rejections."""
    block = b"".join(b"not a log line %d\n" % (i % 10) for i in range(10_000))
    with gzip.open(path, "wb", compresslevel=9) as out:
        for _ in range(lines // 10_000):
            out.write(block)
        out.write(b"".join(block.splitlines(keepends=True)[: lines % 10_000]))
    return path


def write_people_csv(path: Path, size: int = PEOPLE_BYTES) -> Path:
    """A people CSV of about `size` bytes (every row valid, each user id new)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("user_id,username,full_name,email,phone,country,created_at,card_brand,card_last4\n")
        n = 0
        while out.tell() < size:
            rows = [
                f"M{n + k:09d},user{n + k},Person Number {n + k},person{n + k}@example.com,+4420{n + k:08d},"
                f"GB,2026-01-01T00:00:00+00:00,visa,{(n + k) % 10_000:04d}\n"
                for k in range(10_000)
            ]
            out.write("".join(rows))
            n += 10_000
    return path


# Run by a small fresh process: ru_maxrss of a child counts what its parent held when it forked
# (until exec), so the command is started from this wrapper, never from the benchmark or pytest
# process itself.
# The first argument is a file for the command's output ("" for none).
_WRAPPER = (
    "import resource, subprocess, sys; "
    "out = open(sys.argv[1], 'wb') if sys.argv[1] else subprocess.DEVNULL; "
    "code = subprocess.call(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)


def peak_rss_mb(
    argv: list[str], env: dict[str, str] | None = None, output: Path | None = None
) -> tuple[float, int]:
    """(peak resident set in MB of the command's largest process, its exit code):
    getrusage(RUSAGE_CHILDREN) in a wrapper process that runs nothing else. The command's output
    goes to `output` if given."""
    answer = subprocess.run(
        [sys.executable, "-S", "-c", _WRAPPER, str(output or ""), *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    kilobytes, code = answer.stdout.split()
    return int(kilobytes) / 1024, int(code)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "dashboard.cli.main", *args]


def memory_peaks(
    database_url: str,
    *,
    log_lines: int = LOG_LINES,
    bad_lines: int = BAD_LINES,
    people_bytes: int = PEOPLE_BYTES,
) -> list[Peak]:
    """Run the three imports on `database_url` (migrated, expendable: the log is committed) and
    return their peaks."""
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(cli("db", "upgrade"), env=env, check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        log = write_access_log(Path(tmp) / "access.log", log_lines)
        bad = write_bad_gzip(Path(tmp) / "bad.log.gz", bad_lines)
        people = write_people_csv(Path(tmp) / "people.csv", people_bytes)
        runs = [
            (f"ingest access-log, {log_lines:,} lines", cli("ingest", "access-log", str(log))),
            (f"ingest access-log, gzip of {bad_lines:,} bad lines", cli("ingest", "access-log", str(bad))),
            (
                f"import people --dry-run, {people.stat().st_size / 2**20:.0f} MB",
                cli("import", "people", str(people), "--dry-run"),
            ),
        ]
        return [Peak(name, *peak_rss_mb(argv, env)) for name, argv in runs]


def demo_bulk_argv(people: int) -> list[str]:
    """`compliance demo-bulk` for `people` with the large dataset's log lines and events per person."""
    return cli(
        "demo-bulk", "--users", str(people), "--log-lines", str(20 * people), "--events", str(5 * people)
    )


def demo_bulk_peaks(empty_url: Callable[[], str], people: Sequence[int] = DEMO_BULK_PEOPLE) -> list[Peak]:
    """The peak of `compliance demo-bulk` at each size, each into a database `empty_url()` makes anew."""
    peaks = []
    for size in people:
        env = {**os.environ, "DATABASE_URL": empty_url()}
        subprocess.run(cli("db", "upgrade"), env=env, check=True, capture_output=True)
        peaks.append(
            Peak(f"demo-bulk, {size:,} people", *peak_rss_mb(demo_bulk_argv(size), env), DEMO_BULK_TARGET_MB)
        )
    return peaks
