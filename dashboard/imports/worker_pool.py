"""Run a pure function over a stream of work items in worker processes, results in input order.

At most a few items per worker are in flight (eight unless told), so memory stays flat however long the stream.

Workers are forked: they inherit the modules this process has imported. A fork server or spawn would start
each worker by re-importing the main module (the CLI, and with it the whole application), which cost more
than the parsing it saved. The function must be pure: a worker never touches an inherited database
connection. Forking a process that runs other threads is unsafe (a lock held by another thread stays held
in the child), so with more than one thread alive, as inside the Streamlit server, the items are processed
here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

R = TypeVar("R")
IN_FLIGHT_PER_WORKER = 8


def map_in_order(function: Callable[..., R], items: Iterable[tuple[Any, ...]], workers: int,
                 *extra: Any, in_flight: int = IN_FLIGHT_PER_WORKER) -> Iterator[R]:
    """function(*item, *extra) for each item, computed in `workers` processes, yielded in the items' order;
    at most `in_flight` items per worker are pending at once."""
    if workers <= 1 or threading.active_count() > 1:
        yield from (function(*item, *extra) for item in items)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(function, *item, *extra))
            if len(pending) >= in_flight * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
