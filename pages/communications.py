"""Communications and opt-outs: rates, honour times against the law, violations; record and import
opt-outs."""

import streamlit as st

from dashboard.auth.roles import may
from dashboard.imports.suppression import TEMPLATE, import_suppression_list
from dashboard.presentation.format import count, hours, percent
from dashboard.privacy.presentation import present_count, sees_exact_counts
from dashboard.rules.deadlines import deadline_settings
from dashboard.services.optout_report import build_optout_report, country_rates, trailing_period
from dashboard.ui.chart_view import show_chart
from dashboard.ui.charts import lines_by, stacked_bars
from dashboard.ui.clock import now_minute, today
from dashboard.ui.components import Kpi, data_table, kpi_row
from dashboard.ui.guard import require_role
from dashboard.ui.import_panel import render_import_panel
from dashboard.ui.optout_form import render_honour_form, render_optout_form
from dashboard.ui.resources import cached_query
from dashboard.ui.tabs import page_tabs
from data_access.gateway import MAX_ROWS
from data_access.queries.optouts import pending_opt_outs, recent_opt_outs

principal = require_role("communications")
executive = not sees_exact_counts(principal)  # violations as counts only
OUTCOME_COLOURS = {"on time": "#2e7d32", "late": "#c62828"}

st.title("Communications and opt-outs")
months = st.selectbox("Period", [3, 6, 12, 24], index=2, format_func=lambda m: f"Last {m} months")
period = trailing_period(today(), months)
report = cached_query(
    build_optout_report,
    first=period.first,
    last=period.last,
    now=now_minute(),
    tz=deadline_settings().controller_tz,
)
latest = report.rates[report.rates["month"] == period.months[-1]].set_index("channel")
law = report.honour_by_rule[report.honour_by_rule["basis"] == "law"]
decided = int(law[["on_time", "late", "overdue"]].to_numpy().sum())
violations = report.violation_count
kpi_row(
    [
        Kpi(
            "Email opt-out rate",
            percent(latest["opt_out_rate"].get("email")),
            "Opted out / people with an email marketing preference, at the end of the latest month.",
        ),
        Kpi("SMS opt-out rate", percent(latest["opt_out_rate"].get("sms"))),
        Kpi(
            "Honoured in legal time",
            percent(int(law["on_time"].sum()) / decided if decided else None),
            "Opt-outs under CAN-SPAM, the FCC rule and CCPA whose suppression was applied before "
            "the deadline ended.",
        ),
        Kpi(
            "Median time to honour",
            hours(report.median_honour_hours),
            "From receipt to suppression, of the opt-outs received in the period and honoured; "
            "counted in whole "
            "minutes.",
        ),
        Kpi(
            "Post-opt-out violations",
            count(present_count(violations, principal)),
            "Promotional messages sent after the suppression was applied or after the legal limit.",
        ),
    ]
)

rates_tab, honour_tab, violations_tab, *manager_tabs = page_tabs(
    ["Opt-out rates", "Honour times", "Violations"]
    + (
        ["Record an opt-out", "Mark suppression applied", "Import a suppression list"]
        if may(principal.role, "optout.record")
        else []
    ),
    key="communications-tab",
)

if rates_tab.open:
    with rates_tab:
        left, right = st.columns(2)
        to_date = period.month_to_date(today())
        show_chart(
            lines_by(
                report.rates,
                x="month",
                y="opt_out_rate",
                by="channel",
                percent=True,
                title="Opt-out rate (opted out / reachable)",
                y_title="rate",
                partial=to_date,
            ),
            left,
        )
        show_chart(
            lines_by(
                report.rates,
                x="month",
                y="opt_out_flow",
                by="channel",
                percent=True,
                title="Monthly opt-out flow (new opt-outs / base)",
                y_title="flow",
                partial=to_date,
            ),
            right,
        )
        data_table(report.rates, principal=principal, name="opt-out-rates")
        if st.toggle(f"Rates by country, {period.months[-1]}"):
            by_country = cached_query(country_rates, month=period.last, now=now_minute())
            data_table(
                by_country,
                principal=principal,
                name="opt-out-rates-by-country",
                count_columns=["opted_in", "opted_out", "reachable", "new_opt_outs"],
            )

if honour_tab.open:
    with honour_tab:
        if report.honour_histogram.empty:
            st.info("No opt-outs received in this period.")
        else:
            show_chart(
                stacked_bars(
                    report.honour_histogram.dropna(subset=["days"]),
                    x="days",
                    y="opt_outs",
                    by="outcome",
                    title="Days from receipt to suppression",
                    colors=OUTCOME_COLOURS,
                    x_title="whole days (30 = 30 or more)",
                    y_title="opt-outs",
                )
            )
        st.caption(
            "On time: suppression applied before the deadline of the rule ended "
            "(docs/legal-rules.md: CAN-SPAM and the "
            "FCC rule 10 business days, CCPA and GPC 15; GDPR objection has no period in law, so "
            "its target is "
            "ours and labelled 'internal target'). Overdue: not applied and the deadline has passed."
        )
        data_table(report.honour_by_rule, principal=principal, name="honour-times-by-rule")
        st.subheader("Global Privacy Control signals")
        data_table(report.gpc, principal=principal, name="gpc-signals")

if violations_tab.open:
    with violations_tab:
        within_limit = present_count(report.within_limit_messages, principal)
        st.caption(
            f"{count(within_limit)} promotional message(s) went out after an opt-out was received but "
            "before it was applied and within the legal limit: late against our target, not unlawful."
        )
        if executive:
            late = present_count(len(report.late_opt_outs), principal)
            st.metric("Opt-outs suppressed late or overdue", count(late))
            summary = report.violation_counts[["channel", "campaign", "timing", "people", "messages"]]
            data_table(
                summary.reset_index(drop=True),
                principal=principal,
                name="opt-out-violations-summary",
                count_columns=["people", "messages"],
            )
        else:
            columns = [
                "person_id",
                "email",
                "phone",
                "channel",
                "campaign",
                "sent_at",
                "timing",
                "days_late",
                "rule",
                "received_at",
                "honour_by",
                "honoured_at",
            ]
            if report.violations_cut:
                st.caption(
                    f"The newest {count(len(report.violations))} of {count(violations)} violations. The PDF "
                    f"report and the evidence package (Audit and reports, Export centre) list up to "
                    f"{count(MAX_ROWS)}."
                )
            data_table(report.violations[columns], principal=principal, name="opt-out-violations")
            st.subheader("Opt-outs suppressed after their deadline, or overdue")
            data_table(report.late_opt_outs, principal=principal, name="late-opt-outs")
            st.subheader("Recent opt-outs")
            data_table(cached_query(recent_opt_outs), principal=principal, name="recent-opt-outs")

if manager_tabs:
    if manager_tabs[0].open:
        with manager_tabs[0]:
            render_optout_form(principal)
    if manager_tabs[1].open:
        with manager_tabs[1]:
            pending = cached_query(pending_opt_outs)
            st.caption(
                "Opt-outs recorded before their suppression was applied, the nearest deadline "
                "first. Marking one "
                "records when it was applied (not before receipt, not in the future); the honour times, the "
                "violations and the policy check then count it."
            )
            data_table(pending, principal=principal, name="pending-opt-outs")
            render_honour_form(principal, pending)
    if manager_tabs[2].open:
        with manager_tabs[2]:
            render_import_panel(
                principal,
                key="suppression",
                label="Suppression list (CSV)",
                importer=import_suppression_list,
                template=TEMPLATE,
            )
