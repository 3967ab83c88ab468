"""What every table column is called on screen and in the PDF and workbook, in which unit, and how its cells
read: one register for every table on every page and in every report, so that none shows a stored name
(`requester_email`), a code without its name (`or`, `user.contact.email`) or a duration in milliseconds.

A column is known by its name wherever it appears (as in privacy.presentation.PERSONAL_COLUMNS): `received_at`
is "Received" on the request queue and on the opt-out list alike. A column missing here still gets a readable
header (`Some column`), and tests/pages/test_readable_tables.py fails until it is named here. Machine formats
(CSV downloads, OpenDSR, the evidence JSON) keep the keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "text",  # as written; empty as presentation.format.EMPTY
    "words",  # a stored code whose words are the name (`in_progress` -> in progress)
    "timestamp",  # a moment, shown in UTC with the zone named
    "date",  # a calendar day
    "month",  # a calendar month (`2026-08`), shown as Aug 2026
    "identifier",  # a record's number (an id, a line): a number without thousands separators
    "count",  # a whole number (of people, rows, messages); may hold "<5" for executives
    "number",  # a measure with `unit` and `decimals`
    "percent",  # a fraction (0.25) shown as 25.0%
    "percentage",  # a figure already in percent (25.0) shown as 25.0%
    "duration_ms",  # milliseconds, shown in hours
    "cents",  # an amount in hundredths, shown in units with two decimals
    "regime",  # a privacy-law or opt-out rule code (rules.regimes), shown by its name
    "category",  # a fideslang data category key or a list of them, shown by name
    "data_use",  # a fideslang data use key, shown by name
    "mentions_categories",  # prose that quotes data category keys: the keys become names
    "flag",  # yes / no
    "overdue",  # days past a due date (rules.request_workflow.days_overdue), shown as `67 days overdue`
]


@dataclass(frozen=True)
class ColumnSpec:
    label: str
    kind: Kind = "text"
    unit: str | None = None  # shown after the figure (h, days, ...)
    decimals: int = 0
    help: str | None = None


def _s(
    label: str, kind: Kind = "text", unit: str | None = None, decimals: int = 0, help: str | None = None
) -> ColumnSpec:  # noqa: A002 - Streamlit's own word for the header tooltip
    return ColumnSpec(label, kind, unit, decimals, help)


UTC_HELP = "Date and time in UTC."


def _t(label: str) -> ColumnSpec:
    return ColumnSpec(label, "timestamp", help=UTC_HELP)


COLUMNS: Mapping[str, ColumnSpec] = {
    # people and contact
    "person_id": _s("Person", "identifier"),
    "requester_name": _s("Requester"),
    "requester_email": _s("Requester email"),
    "requester_phone": _s("Requester phone"),
    "full_name": _s("Name"),
    "email": _s("Email"),
    "phone": _s("Phone"),
    "username": _s("Username"),
    "display_name": _s("Display name"),
    "consent_reference": _s("Consent reference"),
    "consent_scope": _s("Consent scope"),
    "masked_sample": _s("Example (masked)"),
    "ip_address": _s("IP address"),
    "user_agent": _s("Browser (user agent)"),
    # identity and codes
    "id": _s("ID", "identifier"),
    "reference": _s("Reference"),
    "version": _s("Version"),
    "transfer_id": _s("Transfer", "identifier"),
    "sharing_record_id": _s("Sharing record", "identifier"),
    "entry_hash": _s("Entry hash"),
    "prev_hash": _s("Previous entry's hash"),
    "object_id": _s("Object"),
    "object_type": _s("Object type", "words"),
    "action": _s("Action"),
    "actor": _s("By"),
    "role": _s("Role", "words"),
    "check": _s("Check key", help="The check's stable key, as `compliance check --only` takes it."),
    "title": _s("Check"),
    "rule": _s("Rule"),
    "param": _s("Query parameter"),
    "kind": _s("Kind", "words"),
    "status": _s("Status", "words"),
    "status_as_of": _s("Status at period end", "words"),
    "state": _s("State", "words"),
    "outcome": _s("Outcome", "words"),
    "request_type": _s("Request type", "words"),
    "channel": _s("Channel", "words"),
    "source": _s("Source", "words"),
    "source_name": _s("File"),
    "from_status": _s("From", "words"),
    "to_status": _s("To", "words"),
    "review_decision": _s("Review decision", "words"),
    "legal_process": _s("Legal process", "words"),
    "legal_basis": _s("Legal basis", "words"),
    "event": _s("Event", "words"),
    "timing": _s("Timing"),
    "optout_rule": _s("Rule", "regime", help="The law whose deadline applies to the opt-out, by name."),
    "basis": _s("Basis"),
    "assignee": _s("Assignee"),
    "created_by": _s("Created by"),
    "reviewer": _s("Reviewer"),
    "regime": _s("Law", "regime", help="The privacy law that governs the request, by name."),
    "jurisdiction": _s("Jurisdiction"),
    "country": _s("Country"),
    "region": _s("State or province"),
    "external_ref": _s("External reference"),
    "card_brand": _s("Card brand", "words"),
    "card_last4": _s("Card (last 4)"),
    "address_line": _s("Address"),
    "city": _s("City"),
    "postal_code": _s("Postal code"),
    "number": _s("Number"),
    "currency": _s("Currency"),
    "billing_name": _s("Billing name"),
    "billing_address": _s("Billing address"),
    "type": _s("Type", "words"),
    "authority": _s("Authority"),
    "counterparty": _s("Counterparty"),
    "name": _s("Name"),
    "recipient": _s("Recipient"),
    "recipients": _s("Recipients"),
    "recipient_role": _s("Recipient role", "words"),
    "contract_status": _s("Contract status", "words"),
    "campaign": _s("Campaign"),
    "feature": _s("Feature"),
    "value": _s("Value"),
    "period": _s("Period"),
    "month": _s("Month", "month"),
    "signals": _s("Signals"),
    # prose
    "details": _s("Details"),
    "note": _s("Note"),
    "description": _s("Description"),
    "summary": _s("Summary"),
    "clause": _s("Policy clause"),
    "problem": _s("Problem", "mentions_categories"),
    "reason": _s("Reason"),
    "review_reason": _s("Review reason"),
    "line": _s("Line", "identifier"),
    "field": _s("Field"),
    "retention": _s("Retention"),
    "storage": _s("Storage"),
    "table": _s("Table"),
    "column": _s("Column"),
    "data_subjects": _s("Data subjects", "words"),
    "controller": _s("Controller"),
    "controller_contact": _s("Controller contact"),
    "data_subject_categories": _s("Data subjects", "words"),
    "personal_data_categories": _s("Personal data categories", "mentions_categories"),
    "third_country_transfers": _s("Transfers to third countries"),
    "security_measures": _s("Security measures"),
    "national_security_requests": _s("National-security requests"),
    # fideslang
    "category": _s("Category", "category"),
    "categories": _s("Data categories", "category"),
    "categories_disclosed": _s("Data categories disclosed", "category"),
    "allowed_categories": _s("Allowed data categories", "category"),
    "purpose": _s("Purpose", "data_use"),
    # moments (UTC) and days
    "at": _t("When"),
    "received_at": _t("Received"),
    "sent_at": _t("Sent"),
    "honoured_at": _t("Honoured"),
    "disclosed_at": _t("Disclosed"),
    "reviewed_at": _t("Reviewed"),
    "shared_at": _t("Shared"),
    "first_seen": _t("First seen"),
    "last_seen": _t("Last seen"),
    "published_at": _t("Published"),
    "created_at": _t("Created"),
    "last_login_at": _t("Last sign-in"),
    "locked_until": _t("Locked until"),
    "started_at": _t("Started"),
    "updated_at": _t("Updated"),
    "anonymised_at": _t("Anonymised"),
    "issued_at": _t("Issued"),
    "first_used": _t("First used"),
    "last_used": _t("Last used"),
    "notified_at": _t("Notified"),
    "closed_at": _t("Closed"),
    "acknowledge_by": _s("Acknowledge by", "date"),
    "due_date": _s("Due", "date"),
    "extended_due_date": _s("Extended due", "date"),
    "effective_due": _s("Due (with extension)", "date"),
    "honour_by": _s("Honour by", "date"),
    "effective_date": _s("Effective", "date"),
    "notice_prohibited_until": _s("Notice prohibited until", "date"),
    "publishable_from": _s("Publishable from", "date"),
    "period_start": _s("Period start", "date"),
    "period_end": _s("Period end", "date"),
    "contract_start": _s("Contract start", "date"),
    "contract_end": _s("Contract end", "date"),
    "dpa_signed_on": _s("DPA signed", "date"),
    "day": _s("Day", "date"),
    # counts
    "people": _s("People", "count"),
    "people_before": _s("People before", "count"),
    "messages": _s("Messages", "count"),
    "requests": _s("Requests", "count"),
    "accounts": _s("Accounts", "count"),
    "accounts_specified": _s("Accounts specified", "count"),
    "affected": _s("People affected", "count"),
    "notified": _s("Notified", "count"),
    "pending": _s("Pending", "count"),
    "open": _s("Open", "count"),
    "received": _s("Received", "count"),
    "answered": _s("Answered", "count"),
    "denied": _s("Denied", "count"),
    "complied_in_whole_or_part": _s("Complied in whole or part", "count"),
    "all_data_produced": _s("All data produced", "count"),
    "some_data_produced": _s("Some data produced", "count"),
    "no_data_produced": _s("No data produced", "count"),
    "on_time": _s("On time", "count"),
    "late": _s("Late", "count"),
    "overdue": _s("Overdue", "count"),
    "new_opt_outs": _s("New opt-outs", "count"),
    "opted_in": _s("Opted in", "count"),
    "opted_out": _s("Opted out", "count"),
    "reachable": _s("Reachable", "count"),
    "base_at_start": _s("Subscribed at start", "count"),
    "evidence_rows": _s("Evidence rows", "count"),
    "lines": _s("Lines", "count"),
    "active_users": _s("Active users", "count"),
    "sessions": _s("Sessions", "count"),
    "events": _s("Events", "count"),
    "user_days": _s("User-days", "count"),
    "new_people": _s("New people", "count"),
    "returning_people": _s("Returning people", "count"),
    "rows_read": _s("Rows read", "count"),
    "rows_stored": _s("Rows stored", "count"),
    "rows_rejected": _s("Rows rejected", "count"),
    "rows_updated": _s("Rows updated", "count"),
    "rows_unchanged": _s("Rows unchanged", "count"),
    "aware_at": _t("Became aware"),
    "due_at": _t("Due"),
    "missing": _s("Missing"),
    "party": _s("Who is told"),
    "time_left": _s("Time left"),
    "done_at": _t("Done"),
    "detected_at": _t("Detected"),
    "risk": _s("Risk", "words"),
    "risk_reasoning": _s("Why this risk"),
    "people_affected": _s("People affected", "count"),
    "people_notified": _s("People told", "count"),
    "owner": _s("Owner"),
    "systems": _s("Systems affected"),
    "containment": _s("Containment"),
    "incidents": _s("Incidents", "count"),
    "authority_notices": _s("Authority notices"),
    "delay_reason": _s("Reason for delay"),
    "rows_duplicate": _s("Duplicate rows", "count"),
    # retention (checks.retention)
    "records_of": _s("Records of", "words"),
    "records": _s("Records", "count"),
    "oldest": _t("Oldest"),
    "runs_from": _s("Runs from", "words"),
    "cutoff": _t("Kept from"),
    # measures
    "days_left": _s("Days left", "number", "days"),
    "days_late": _s("Days late", "number", "days"),
    "days_overdue": _s(
        "Overdue",
        "overdue",
        help="Days past the due (or extended due) date: as of the end of the "
        "period or today while open, or on the day it closed.",
    ),
    "days": _s("Days", "number", "days"),
    "median_days": _s("Median time", "number", "days", 1),
    "p90_days": _s("90th percentile time", "number", "days", 1),
    "median_days_to_respond": _s("Median time to respond", "number", "days", 1),
    "hours_to_honour": _s("Time to honour", "number", "h", 0),
    "duration_ms": _s("Time in app", "duration_ms", "h", 1, "Total time in the app, in hours."),
    "amount_cents": _s("Amount", "cents", decimals=2, help="In the invoice's currency."),
    "adoption": _s("Adoption", "percent"),
    "opt_out_rate": _s("Opt-out rate", "percent"),
    "opt_out_flow": _s("Opt-out flow", "percent"),
    "on_time_share": _s("Answered on time", "percent"),
    "share_on_time": _s("Honoured on time", "percent"),
    "percentage_some_data_produced": _s("Some data produced", "percentage"),
    "honoured_on_time": _s("Honoured on time", "flag"),
    # yes / no
    "approved": _s("Approved", "flag"),
    "disabled": _s("Disabled", "flag"),
    "is_demo": _s("Demo account", "flag"),
    "evidence_complete": _s("Evidence complete", "flag"),
}


def spec_for(column: str) -> ColumnSpec:
    """The column's spec; an unregistered column reads as words (`some_column` -> Some column), never raw."""
    known = COLUMNS.get(column)
    if known is not None:
        return known
    words = str(column).replace("_", " ").strip()
    return ColumnSpec(words[:1].upper() + words[1:] if words else "Value")


def series_name(value: object) -> str:
    """A chart's series or legend entry: a column's label when the series was a column with a compound name
    (`returning_people`, melted for a stacked chart), else the stored code in words (`court_order`
    -> court order; `email` stays a channel, not the Email column)."""
    text = str(value)
    return COLUMNS[text].label if "_" in text and text in COLUMNS else text.replace("_", " ")
