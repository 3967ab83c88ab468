"""`compliance incidents due`: the breach clocks as JSON, through typer's runner; bad options exit 2
naming them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dashboard.cli.main import app

runner = CliRunner()


def test_gdpr_prints_the_72_hour_deadline_in_utc_across_a_dst_change() -> None:
    result = runner.invoke(
        app, ["incidents", "due", "--regime", "gdpr", "--aware", "2026-03-27T20:00:00+01:00"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["authority_due"] == "2026-03-30T19:00:00+00:00"
    assert out["aware"] == "2026-03-27T20:00:00+01:00" and out["regime"] == "gdpr"
    people = next(c for c in out["clocks"] if c["party"] == "people affected")
    assert people["due"] is None and people["rule"] == "without undue delay" and people["applies"] is False


def test_a_time_without_offset_is_read_in_the_zone_given() -> None:
    result = runner.invoke(
        app,
        ["incidents", "due", "--regime", "uk-gdpr", "--aware", "2026-10-23T18:30", "--tz", "Europe/London"],
    )
    assert json.loads(result.output)["authority_due"] == "2026-10-26T17:30:00+00:00"


def test_a_us_state_prints_its_days_and_the_attorney_general_threshold() -> None:
    result = runner.invoke(
        app,
        [
            "incidents",
            "due",
            "--regime",
            "us-tx",
            "--aware",
            "2026-02-10T12:00:00Z",
            "--residents",
            "300",
            "--tz",
            "UTC",
        ],
    )
    out = json.loads(result.output)
    assert out["authority_due"] is None
    due = {c["party"]: c["due"] for c in out["clocks"]}
    assert due == {
        "residents affected": "2026-04-11T23:59:59.999999+00:00",
        "Attorney General": "2026-03-12T23:59:59.999999+00:00",
    }


def test_bad_options_exit_2_naming_the_option() -> None:
    for args, option in (
        (["--regime", "mars", "--aware", "2026-01-01T00:00:00Z"], "--regime"),
        (["--regime", "gdpr", "--aware", "yesterday"], "--aware"),
        (["--regime", "gdpr", "--aware", "2026-01-01T00:00:00Z", "--risk", "severe"], "--risk"),
    ):
        result = runner.invoke(app, ["incidents", "due", *args])
        assert result.exit_code == 2 and f"error: {option}:" in result.output
