"""Admin: staff accounts and roles: create, change role, reset password, disable or enable; every
change audited."""

import streamlit as st

from dashboard.services.staff import (
    change_password,
    change_role,
    create_account,
    set_enabled,
)
from dashboard.ui.components import data_table
from dashboard.ui.form_action import form_key, show_saved, submission_key, submit
from dashboard.ui.guard import require_role
from dashboard.ui.resources import cached_query
from data_access.models.enums import Role
from data_access.queries.admin import staff_accounts

ADD, CHANGE = "staff-add", "staff-change"
principal = require_role("admin")
st.title("Staff accounts")
show_saved(ADD)
show_saved(CHANGE)
accounts = cached_query(staff_accounts)
data_table(
    accounts, principal=principal, name="staff-accounts", pii_columns={"email": None}
)  # staff, not people
add_tab, change_tab = st.tabs(["Add an account", "Change an account"])
with add_tab, st.form(form_key(ADD)):
    left, right = st.columns(2)
    username = left.text_input("Username")
    name = right.text_input("Display name")
    role = left.selectbox("Role", list(Role))
    email = right.text_input("Email (for single sign-on)")
    password = st.text_input("Initial password (empty: single sign-on only)", type="password")
    if st.form_submit_button("Add account", type="primary") and role is not None:
        submit(
            ADD,
            lambda s: create_account(
                session=s,
                principal=principal,
                username=username,
                display_name=name,
                role=role,
                password=password or None,
                email=email or None,
            ),
            f"Account {username} added.",
            key=submission_key(ADD, username, name, role, email),
        )
with change_tab:
    target = st.selectbox("Account", list(accounts["username"]))
    left, middle, right = st.columns(3)
    new_role = left.selectbox("New role", list(Role))
    if left.button("Change role") and target and new_role is not None:
        submit(
            CHANGE,
            lambda s: change_role(session=s, principal=principal, username=target, role=new_role),
            f"{target} is now {new_role}.",
        )
    new_password = middle.text_input("New password", type="password")
    if middle.button("Set password") and target:
        submit(
            CHANGE,
            lambda s: change_password(session=s, principal=principal, username=target, password=new_password),
            f"Password of {target} changed.",
        )
    if right.button("Disable") and target:
        submit(
            CHANGE,
            lambda s: set_enabled(session=s, principal=principal, username=target, enabled=False),
            f"{target} disabled.",
        )
    if right.button("Enable") and target:
        submit(
            CHANGE,
            lambda s: set_enabled(session=s, principal=principal, username=target, enabled=True),
            f"{target} enabled.",
        )
