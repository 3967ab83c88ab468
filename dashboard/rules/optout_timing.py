"""Opt-out rules that are not deadlines: which timings of a promotional message after an opt-out are
violations, and how monthly opt-out rates follow from the preference history.

Sources: docs/legal-rules.md, "Marketing opt-outs". A message's timing is decided when it is written, by
data_access.opt_out_sends, which states the rule: past the legal limit, or after the suppression was applied
(whatever the legal limit: the policy promises the opt-out works), is a violation; before both is within the
legal limit, late against our target but not unlawful.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data_access.models.enums import MessageTiming

NO_STATUS = "none"
OPTED_IN, OPTED_OUT = "opted_in", "opted_out"
RATE_COLUMNS = [
    "month",
    "opted_in",
    "opted_out",
    "reachable",
    "opt_out_rate",
    "new_opt_outs",
    "base_at_start",
    "opt_out_flow",
]


VIOLATIONS = (MessageTiming.AFTER_SUPPRESSION, MessageTiming.AFTER_LEGAL_LIMIT)


def monthly_rates(transitions: pd.DataFrame, months: Sequence[str]) -> pd.DataFrame:
    """Opt-out rate and flow per month from status transitions (month, from_status, to_status, people).

    Rate: people opted out / people reachable (opted in or out) at the month's end. Flow: new
    opt-outs in the month / people opted in at its start. Transitions before the first month
    shown still count, because the stock at a month end is the running sum of every change.
    """
    change = {
        OPTED_IN: pd.Series(0, index=transitions.index),
        OPTED_OUT: pd.Series(0, index=transitions.index),
    }
    for status in (OPTED_IN, OPTED_OUT):
        change[status] = transitions["people"].where(transitions["to_status"] == status, 0) - transitions[
            "people"
        ].where(transitions["from_status"] == status, 0)
    new_out = transitions["people"].where(
        (transitions["to_status"] == OPTED_OUT) & (transitions["from_status"] != OPTED_OUT), 0
    )
    per_month = (
        pd.DataFrame(
            {
                "month": transitions["month"],
                "d_in": change[OPTED_IN],
                "d_out": change[OPTED_OUT],
                "new_opt_outs": new_out,
            }
        )
        .groupby("month")
        .sum()
    )
    all_months = sorted(set(per_month.index) | set(months))
    per_month = per_month.reindex(all_months, fill_value=0)
    opted_in, opted_out = per_month["d_in"].cumsum(), per_month["d_out"].cumsum()
    reachable = opted_in + opted_out
    result = pd.DataFrame(
        {
            "month": all_months,
            "opted_in": opted_in.to_numpy(),
            "opted_out": opted_out.to_numpy(),
            "reachable": reachable.to_numpy(),
            "opt_out_rate": _ratio(opted_out, reachable).to_numpy(),
            "new_opt_outs": per_month["new_opt_outs"].to_numpy(),
            "base_at_start": opted_in.shift(1, fill_value=0).to_numpy(),
        }
    )
    result["opt_out_flow"] = _ratio(result["new_opt_outs"], result["base_at_start"])
    return result[result["month"].isin(list(months))].reset_index(drop=True)[RATE_COLUMNS]


def rates_by_group(transitions: pd.DataFrame, months: Sequence[str], group: str) -> pd.DataFrame:
    """monthly_rates for each value of `group` (channel or country), stacked with a `group` column."""
    frames = [
        monthly_rates(part, months).assign(**{group: key})
        for key, part in transitions.groupby(group, sort=True)
    ]
    if not frames:
        return pd.DataFrame(columns=[group, *RATE_COLUMNS])
    return pd.concat(frames, ignore_index=True)[[group, *RATE_COLUMNS]]


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator.where(denominator > 0)).astype(float)
