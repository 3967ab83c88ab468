"""Streamlit-side resources: the cached engine, read sessions and cached query results.

The engine is cached once per process and disposed when released; sessions are per call.
Query results are cached for a short TTL and cleared after every write. A write that finds the database busy
(an import holds it; reads are not blocked) shows BUSY_MESSAGE and stops the page instead of a server error.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from data_access.busy import DatabaseBusy
from data_access.db import database_url, make_engine, session_factory, transaction

T = TypeVar("T")
CACHE_TTL_SECONDS = 60
BUSY_MESSAGE = (
    "The database is busy: an import or another change is being written, and nothing was saved. "
    "Please try again in a moment."
)


@st.cache_resource(on_release=lambda engine: engine.dispose(), show_spinner=False)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return engine_for(database_url())


@contextmanager
def read_session() -> Iterator[Session]:
    with session_factory(engine())() as session:
        yield session


@contextmanager
def write_session() -> Iterator[Session]:
    """One transaction for a page action; cached reads are cleared once it commits."""
    with page_transaction() as session:
        yield session
    st.cache_data.clear()


@contextmanager
def page_transaction() -> Iterator[Session]:
    """One transaction for a page; when the database is busy, the page says so and stops (nothing
    was written)."""
    try:
        with transaction(engine()) as session:
            yield session
    except DatabaseBusy:
        stop_busy()


def stop_busy() -> NoReturn:
    st.error(BUSY_MESSAGE, icon=":material/hourglass_top:")
    st.stop()


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _cached_call(target: str, url: str, kwargs: tuple[tuple[str, Any], ...]) -> Any:
    module_name, _, name = target.partition(":")
    function = getattr(importlib.import_module(module_name), name)
    with session_factory(engine_for(url))() as session:
        return function(session=session, **dict(kwargs))


def cached_query(function: Callable[..., T], **kwargs: Any) -> T:
    """Call a data_access query function with a fresh session, caching its result briefly."""
    target = f"{function.__module__}:{function.__qualname__}"
    return _cached_call(target, database_url(), tuple(sorted(kwargs.items())))  # type: ignore[no-any-return]
