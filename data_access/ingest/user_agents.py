"""Browser, OS and device from a user agent, via the ua-parser package (uap-core's regexes).

Real logs repeat a few thousand agents millions of times, so results are memoised.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ua_parser

UNKNOWN = "Unknown"


@dataclass(frozen=True)
class UserAgentInfo:
    browser: str
    os: str
    device: str
    is_bot: bool


@lru_cache(maxsize=4096)
def classify_user_agent(agent: str | None) -> UserAgentInfo:
    if not agent or agent == "-":
        return UserAgentInfo(UNKNOWN, UNKNOWN, UNKNOWN, False)
    result = ua_parser.parse(agent)
    browser = result.user_agent.family if result.user_agent else UNKNOWN
    os_name = result.os.family if result.os else UNKNOWN
    device = result.device.family if result.device else "Desktop"
    is_bot = device == "Spider"
    if browser == "Other":
        browser = UNKNOWN
    if os_name == "Other":
        os_name = UNKNOWN
    if device == "Other":
        device = "Desktop"
    return UserAgentInfo(browser, os_name, "Bot" if is_bot else device, is_bot)
