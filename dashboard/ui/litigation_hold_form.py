"""The litigation hold on the person page: whether the person is held (managers and auditors), and
for managers a form to place or lift it with its reason (dashboard.services.litigation_hold,
docs/retention.md)."""

from __future__ import annotations

import streamlit as st

from dashboard.auth.roles import may
from dashboard.auth.service import Principal
from dashboard.services.litigation_hold import is_held, set_litigation_hold
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from dashboard.ui.resources import read_session

FORM = "litigation-hold"


def render_litigation_hold(principal: Principal, person_id: int, *, erased: bool) -> None:
    with read_session() as session:
        held = is_held(session=session, person_id=person_id)
    if held:
        st.info(
            "Under litigation hold: the retention purge keeps everything of this person past every period."
        )
    if erased or not may(principal.role, "person.litigation_hold"):
        return
    show_saved(FORM)
    with (
        st.expander("Lift the litigation hold" if held else "Place a litigation hold"),
        st.form(form_key(f"{FORM}-{person_id}")),
    ):
        reason = st.text_input("Reason (the case or matter, without personal data)", max_chars=500)
        if st.form_submit_button("Lift the hold" if held else "Place the hold"):
            submit(
                FORM,
                lambda s: set_litigation_hold(
                    session=s, principal=principal, person_id=person_id, held=not held, reason=reason
                ),
                "Litigation hold lifted." if held else "Litigation hold placed.",
                key=submission_key(FORM, person_id, not held, reason),
            )
