"""Put the caches in a known state before pages are measured: what a first render costs depends on whether the
pages of the database it reads are in memory, and left to chance the large dataset was read half
from disk while the small one was always cached, so the large/small ratio measured the cache as much
as the code.

Emptying the caches needs root (to write /proc/sys/vm/drop_caches) and, for PostgreSQL, a local cluster that
`pg_ctlcluster` can restart (its shared buffers are the other cache). Where either is missing the
benchmark says why and reports no cold figures rather than cold figures from a warm cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from sqlalchemy.engine import make_url

DROP_CACHES = Path("/proc/sys/vm/drop_caches")
LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}
READY_SECONDS = 60.0


def empty_caches(url: str) -> str | None:
    """Empty the OS page cache and, for a local PostgreSQL, its shared buffers. None when done, else
    why not."""
    if os.geteuid() != 0 or not os.access(DROP_CACHES, os.W_OK):
        return f"emptying the OS page cache needs root (it writes {DROP_CACHES})"
    database = make_url(url)
    if database.get_backend_name() == "postgresql":
        why_not = _restart_postgres(database.host, database.port or 5432)
        if why_not:
            return why_not
    os.sync()
    DROP_CACHES.write_text("3\n")
    return None


def _restart_postgres(host: str | None, port: int) -> str | None:
    if host not in LOCAL_HOSTS:
        return f"PostgreSQL on {host} is not on this machine: its shared buffers cannot be emptied from here"
    if shutil.which("pg_lsclusters") is None or shutil.which("pg_ctlcluster") is None:
        return (
            "restarting PostgreSQL to empty its shared buffers needs pg_ctlcluster (Debian's "
            "postgresql-common)"
        )
    clusters = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    match = next(
        (line.split()[:2] for line in clusters.splitlines() if line.split()[2:3] == [str(port)]), None
    )
    if match is None:
        return f"no PostgreSQL cluster of pg_lsclusters listens on port {port}"
    version, name = match
    subprocess.run(["pg_ctlcluster", version, name, "restart"], capture_output=True, text=True, check=True)
    deadline = time.monotonic() + READY_SECONDS
    while subprocess.run(["pg_isready", "-q", "-h", host or "127.0.0.1", "-p", str(port)]).returncode != 0:
        if time.monotonic() > deadline:
            return (
                f"PostgreSQL cluster {version}/{name} did not accept connections "
                f"{READY_SECONDS:.0f} s after a restart"
            )
        time.sleep(0.2)
    return None
