"""Run a pure function over a stream of work items in worker processes, results in input order.

Each worker has one item in flight: it computes the next item while this process consumes the previous
result, so memory stays flat however long the stream. Every pipe is read and written from the calling thread
itself: concurrent.futures pickles and unpickles in helper threads of this process, which compete with the
consumer for the GIL (ingest's SQLite inserts release and retake it on every row).

Workers are forked: they inherit the modules this process has imported. A fork server or spawn would start
each worker by re-importing the main module (the CLI, and with it the whole application), which cost more
than the parsing it saved. The function must be pure: a worker never touches an inherited database
connection. Forking a process that runs other threads is unsafe (a lock held by another thread stays held
in the child), so with more than one thread alive, as inside the Streamlit server, the items are processed
here, one after the other.

The caller is the serial stage of the pipeline (it writes what the workers compute), so workers run at a lower
priority (WORKER_NICENESS): where there are fewer cores than processes, the caller never waits for a core
behind a worker that is only computing ahead. The heap the workers inherit is frozen out of the garbage
collector's reach (gc.freeze before the fork): they never free it, and collections walked it (in a 200k-line
ingest, 0.21-0.24 s of each worker's ~2 s went to the collector, 0.10-0.13 s with the heap frozen).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

R = TypeVar("R")
STOP_SECONDS = 5.0
WORKER_NICENESS = 10


class WorkerFailed(RuntimeError):
    """A worker process ended without answering (killed, or out of memory)."""


def map_in_order(
    function: Callable[..., R], items: Iterable[tuple[Any, ...]], workers: int, *extra: Any
) -> Iterator[R]:
    """function(*item, *extra) for each item, computed in `workers` processes, yielded in the items' order.

    An exception raised by `function` in a worker is raised here, at the item that raised it."""
    if workers <= 1 or threading.active_count() > 1:
        yield from (function(*item, *extra) for item in items)
        return
    context = multiprocessing.get_context("fork")
    lanes: list[tuple[BaseProcess, Connection]] = []
    try:
        _start(context, lanes, workers, function, extra)
        stream = iter(items)
        order: deque[int] = deque(lane for lane in range(workers) if _send_next(stream, lanes[lane][1]))
        while order:
            lane = order.popleft()
            ok, value = _receive(lanes[lane])
            if _send_next(
                stream, lanes[lane][1]
            ):  # before yielding: the worker computes while the caller works
                order.append(lane)
            if not ok:
                raise value
            yield value
    finally:
        _stop(lanes)


def _start(
    context: Any,
    lanes: list[tuple[BaseProcess, Connection]],
    workers: int,
    function: Callable[..., Any],
    extra: tuple[Any, ...],
) -> None:
    gc.freeze()  # the children inherit it frozen; this process takes its objects back once they are forked
    try:
        for _ in range(workers):
            ours, theirs = context.Pipe()
            inherited = [
                ours,
                *(connection for _, connection in lanes),
            ]  # the child closes its copies of these
            process = context.Process(target=_serve, args=(theirs, inherited, function, extra), daemon=True)
            process.start()
            theirs.close()
            lanes.append((process, ours))
    finally:
        gc.unfreeze()


def _send_next(stream: Iterator[tuple[Any, ...]], connection: Connection) -> bool:
    item = next(stream, None)
    if item is None:
        return False
    connection.send_bytes(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    return True


def _receive(lane: tuple[BaseProcess, Connection]) -> tuple[bool, Any]:
    process, connection = lane
    try:
        return pickle.loads(connection.recv_bytes())  # type: ignore[no-any-return]
    except EOFError:
        raise WorkerFailed(
            f"worker process {process.pid} ended without a result (exit code {process.exitcode})"
        ) from None


def _serve(
    connection: Connection, inherited: list[Connection], function: Callable[..., Any], extra: tuple[Any, ...]
) -> None:
    """The worker's loop: one item in, one (ok, result or exception) out, until the pipe closes.

    The fork gave this process copies of the parent's ends of the pipes: they are closed first, or a
    pipe would stay open after the parent closed it, and its worker would wait for more work instead
    of ending."""
    for copy in inherited:
        copy.close()
    os.nice(WORKER_NICENESS)
    while True:
        try:
            item = pickle.loads(connection.recv_bytes())
        except EOFError:
            return
        try:
            answer: tuple[bool, Any] = (True, function(*item, *extra))
        except Exception as error:  # noqa: BLE001 - handed to the caller, who raises it
            answer = (False, error)
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # noqa: BLE001 - an exception that cannot be pickled still gets through
            payload = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
        try:
            connection.send_bytes(payload)
        except OSError:
            return  # the caller stopped listening


def _stop(lanes: list[tuple[BaseProcess, Connection]]) -> None:
    """Close the pipes (a waiting worker reads EOF and ends) and make sure every worker is gone."""
    for _, connection in lanes:
        connection.close()
    for process, _ in lanes:
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.terminate()
            process.join()
