"""User-agent classification through ua-parser, memoised because logs repeat the same agents."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.ingest.access_log_parser import AccessLine, iter_lines, parse_access_line
from data_access import user_agents
from data_access.user_agents import UNKNOWN, UserAgentInfo, classify_user_agent

CORPUS = Path(__file__).parent / "corpus" / "tricky_access.log"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (CHROME, UserAgentInfo("Chrome", "Windows", "Desktop", False)),
        (IPHONE, UserAgentInfo("Mobile Safari", "iOS", "iPhone", False)),
        (GOOGLEBOT, UserAgentInfo("Googlebot", UNKNOWN, "Bot", True)),
        ("curl/8.4.0", UserAgentInfo("curl", UNKNOWN, UNKNOWN, False)),
        ("no idea what this is", UserAgentInfo(UNKNOWN, UNKNOWN, UNKNOWN, False)),
    ],
)
def test_classification(agent: str, expected: UserAgentInfo) -> None:
    assert classify_user_agent(agent) == expected


@pytest.mark.parametrize("agent", [None, "", "-", "   "])
def test_absent_agents_are_unknown(agent: str | None) -> None:
    assert classify_user_agent(agent) == UserAgentInfo(UNKNOWN, UNKNOWN, UNKNOWN, False)


def test_results_are_memoised_in_a_bounded_cache() -> None:
    cache = user_agents._classify
    assert cache.cache_parameters()["maxsize"] == 4096
    classify_user_agent(CHROME)
    hits = cache.cache_info().hits
    for _ in range(100):
        classify_user_agent(CHROME)
    assert cache.cache_info().hits == hits + 100


def test_very_long_agents_are_cut_to_the_stored_length() -> None:
    long_agent = CHROME + " x" * 5000
    assert classify_user_agent(long_agent) == classify_user_agent(long_agent[:1024])


def test_every_corpus_agent_classifies() -> None:
    for _, raw in iter_lines(CORPUS):
        line = parse_access_line(raw)
        if isinstance(line, AccessLine):
            info = classify_user_agent(line.user_agent)
            assert info.browser and info.os and info.device
