"""The one way a page form or button saves: once per submission, then a fresh form and a page that
shows the write.

Why each step:
- A submission key: a second click on a filled form (or a click that arrives while the first run is still
  going) must not store the record twice. Streamlit has no hidden field to carry a token per render, and the
  second click's run starts after the first one's, so the key is the form and what was entered; the keys
  this session saved are remembered (server side, in its session state) and a repeat says "already saved".
- The form is cleared on success, not on submit (`clear_on_submit` would also wipe an entry the service
  refused): the form's key carries a generation, bumped after a save, so its widgets start again empty.
- After a write the read caches are cleared (write_session does it) and the page reruns, so every list and
  picker on it (notice now due, the request picker, the recipients) shows the write; the success message is
  kept for that rerun.
- Domain errors are translated here, naming the field, escaped (ui.text); nothing is saved when one is raised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from dashboard.auth.roles import AccessDenied
from dashboard.rules.field_error import FieldError
from dashboard.ui.resources import write_session
from dashboard.ui.text import show_error, show_success

T = TypeVar("T")
FLASH = "form-flash"
SAVED = "form-saved-submissions"
GENERATION = "form-generation"
ALREADY_SAVED = "Already saved: this entry was stored a moment ago, nothing was stored again."


def form_key(name: str) -> str:
    """The st.form key for `name` in its current generation (a new one after each save clears the form)."""
    return f"{name}-{st.session_state.get(GENERATION, {}).get(name, 0)}"


def submission_key(name: str, *values: object) -> str:
    """What identifies one submission of form `name`: the form and the values entered."""
    return hashlib.sha256(repr((name, values)).encode()).hexdigest()


def show_saved(name: str) -> None:
    """The success message of the save that reran the page, where the form is."""
    message = st.session_state.get(FLASH, {}).pop(name, None)
    if message:
        show_success(message)


def submit(
    name: str,
    action: Callable[[Session], T],
    success: str | Callable[[T], str],
    *,
    key: str | None = None,
    refusals: tuple[type[Exception], ...] = (),
) -> None:
    """Run `action` in one transaction unless `key` was saved already; on success keep the message, clear form
    `name` and rerun. `success` is called inside the transaction, so it may read the returned ORM object.
    `refusals`: further exception types shown as an error (with their `field` when they have one)."""
    saved: set[str] = st.session_state.setdefault(SAVED, set())
    if key is not None and key in saved:
        st.info(ALREADY_SAVED)
        return
    if key is not None:
        saved.add(key)  # before writing: a run interrupted after the commit must not let a repeat through
    try:
        with write_session() as session:
            result = action(session)
            message = success if isinstance(success, str) else success(result)
    except (FieldError, AccessDenied) + refusals as exc:
        saved.discard(key or "")
        show_error(exc)
        return
    except BaseException:
        saved.discard(key or "")
        raise
    st.session_state.setdefault(FLASH, {})[name] = message
    generations: dict[str, int] = st.session_state.setdefault(GENERATION, {})
    generations[name] = generations.get(name, 0) + 1
    st.rerun()
