"""Which privacy law governs a person or requester, from their country and US state or Canadian province.

The regime codes, the one list of them, and the laws behind each are in docs/legal-rules.md. Where no
comprehensive law applies we say "none" (the request is still answered, on our internal target).
"""

from __future__ import annotations

# EU/EEA member states: GDPR (Art. 3). The UK keeps its own UK GDPR since 2021.
EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()
)
# US states with a comprehensive privacy law we cover (docs/legal-rules.md), and their regime codes.
US_STATE_REGIMES = {"CA": "ccpa", "VA": "va", "CO": "co", "CT": "ct", "TX": "tx", "UT": "ut", "OR": "or"}
US_REGIMES: tuple[str, ...] = tuple(US_STATE_REGIMES.values())
REGIMES: tuple[str, ...] = ("gdpr", "uk-gdpr", *US_REGIMES, "lgpd", "pipeda", "none")

REGIME_LABELS = {
    "gdpr": "EU GDPR",
    "uk-gdpr": "UK GDPR",
    "ccpa": "CCPA/CPRA (California)",
    "va": "Virginia VCDPA",
    "co": "Colorado CPA",
    "ct": "Connecticut CTDPA",
    "tx": "Texas TDPSA",
    "ut": "Utah UCPA",
    "or": "Oregon OCPA",
    "lgpd": "LGPD (Brazil)",
    "pipeda": "PIPEDA (Canada)",
    "none": "No specific law",
}

# The opt-out rules of rules.deadlines (OPTOUT_RULES), by the law each applies (docs/legal-rules.md).
OPTOUT_RULE_LABELS = {
    "can-spam": "CAN-SPAM Act (email)",
    "tcpa": "TCPA, FCC revocation rule (texts and calls)",
    "ccpa-sale": "CCPA opt-out of sale or sharing",
    "gpc": "CCPA Global Privacy Control signal",
    "gdpr-objection": "GDPR objection (Art. 21)",
}

# US states whose breach-notification law the incident clocks use (rules.breach_deadlines: regime
# "us-<state>")
BREACH_STATE_NAMES = {
    "CA": "California",
    "CO": "Colorado",
    "FL": "Florida",
    "IN": "Indiana",
    "TX": "Texas",
    "WA": "Washington",
}


def regime_name(code: str) -> str:
    """The law's name for a regime code (`or` -> Oregon OCPA, `us-tx` -> Texas breach law) or an
    opt-out rule's (`can-spam` -> CAN-SPAM Act (email)); an unknown code (an incident clock's worded
    rule) as it is."""
    state = code.removeprefix("us-").upper()
    if code.startswith("us-") and state in BREACH_STATE_NAMES:
        return f"{BREACH_STATE_NAMES[state]} breach law"
    return REGIME_LABELS.get(code) or OPTOUT_RULE_LABELS.get(code, code)


def regime_for(country: str | None, region: str | None = None) -> str:
    """The regime code for a country (ISO 3166-1 alpha-2) and, in the US, a state code."""
    country = (country or "").upper()
    if country in EEA:
        return "gdpr"
    if country == "GB":
        return "uk-gdpr"
    if country == "US":
        return US_STATE_REGIMES.get((region or "").upper(), "none")
    if country == "BR":
        return "lgpd"
    if country == "CA":
        return "pipeda"
    return "none"
