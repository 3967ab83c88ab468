"""What a person is told of their rights and of where to complain, per regime (GDPR Art. 15(1)(e)-(f) asks for
both in every access response; the US state laws, LGPD and PIPEDA give their own lists). Sources are in
docs/access-package.md; regime codes are those of dashboard/rules/regimes.py."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.rules.regimes import US_REGIMES


@dataclass(frozen=True)
class Right:
    name: str
    what: str
    source: str


@dataclass(frozen=True)
class RightsStatement:
    rights: tuple[Right, ...]
    complaint: str
    complaint_source: str


_GDPR_RIGHTS = (
    Right(
        "Rectification",
        "to have inaccurate data about you corrected and incomplete data completed",
        "Art. 16",
    ),
    Right(
        "Erasure",
        "to have your data erased where it is no longer needed, you withdraw consent or you object, "
        "unless we must keep it by law",
        "Art. 17",
    ),
    Right(
        "Restriction",
        "to have the use of your data restricted while its accuracy or our grounds are checked",
        "Art. 18",
    ),
    Right(
        "Objection",
        "to object to processing based on our legitimate interests, and to direct marketing at any "
        "time, after which it stops",
        "Art. 21",
    ),
    Right(
        "Portability",
        "to receive the data you gave us in a machine-readable form (the JSON files here)",
        "Art. 20",
    ),
    Right(
        "Withdraw consent",
        "to withdraw a consent at any time, without affecting what was done before",
        "Art. 7(3)",
    ),
)
_US_RIGHTS = (
    Right(
        "Know and access", "to know what we hold about you and to receive a copy", "your state's privacy law"
    ),
    Right(
        "Correction",
        "to have inaccurate data corrected, where your state's law provides it",
        "your state's privacy law",
    ),
    Right(
        "Deletion",
        "to have the data you gave us or we collected about you deleted, with exceptions the law lists",
        "your state's privacy law",
    ),
    Right(
        "Opt out",
        "to opt out of the sale or sharing of your data and of targeted advertising, and of "
        "marketing at any time",
        "your state's privacy law",
    ),
    Right(
        "Appeal",
        "to appeal our decision on a request, where your state's law provides an appeal",
        "your state's privacy law",
    ),
    Right(
        "No discrimination",
        "not to be treated differently for using these rights",
        "your state's privacy law",
    ),
)
_STATEMENTS: dict[str, RightsStatement] = {
    "gdpr": RightsStatement(
        _GDPR_RIGHTS,
        "You may complain to a data protection supervisory authority, in "
        "particular in the EU or EEA state where you live or work or where you think the "
        "law was broken.",
        "GDPR Art. 15(1)(f), Art. 77",
    ),
    "uk-gdpr": RightsStatement(
        _GDPR_RIGHTS,
        "You may complain to the Information Commissioner's Office (ICO), the UK's supervisory authority.",
        "UK GDPR Art. 15(1)(f), Art. 77",
    ),
    "ccpa": RightsStatement(
        tuple(
            r
            if r.name != "Appeal"
            else Right(
                "Limit", "to limit our use of sensitive personal information", "Cal. Civ. Code 1798.121"
            )
            for r in _US_RIGHTS
        ),
        "You may complain to the California Privacy Protection Agency or the California Attorney General.",
        "Cal. Civ. Code 1798.199.45, 1798.155",
    ),
    "lgpd": RightsStatement(
        (
            Right(
                "Confirmation and access",
                "to confirm that we process your data and to access it",
                "LGPD Art. 18 I-II",
            ),
            Right("Correction", "to correct incomplete, inaccurate or out-of-date data", "LGPD Art. 18 III"),
            Right(
                "Anonymisation, blocking or deletion",
                "of data that is unnecessary, excessive or processed unlawfully",
                "LGPD Art. 18 IV",
            ),
            Right("Portability", "to have your data given to another provider", "LGPD Art. 18 V"),
            Right("Deletion", "of data processed with your consent", "LGPD Art. 18 VI"),
            Right("Information on sharing", "to know with whom we shared your data", "LGPD Art. 18 VII"),
            Right("Withdraw consent", "at any time", "LGPD Art. 18 IX"),
        ),
        "You may petition the national data protection authority (ANPD).",
        "LGPD Art. 18 §1",
    ),
    "pipeda": RightsStatement(
        (
            Right(
                "Access",
                "to be told what we hold about you and how it was used and disclosed",
                "PIPEDA Sch. 1, 4.9",
            ),
            Right(
                "Correction",
                "to challenge its accuracy and completeness and have it amended",
                "PIPEDA Sch. 1, 4.9.5",
            ),
            Right("Withdraw consent", "at any time, on reasonable notice", "PIPEDA Sch. 1, 4.3.8"),
        ),
        "You may complain to the Office of the Privacy Commissioner of Canada.",
        "PIPEDA s. 11",
    ),
}
_NO_LAW = RightsStatement(
    (
        Right(
            "Access and correction",
            "to ask what we hold about you and to have it corrected",
            "our privacy policy",
        ),
        Right(
            "Deletion", "to ask us to delete your data, unless we must keep it by law", "our privacy policy"
        ),
        Right("Opt out of marketing", "at any time", "our privacy policy"),
    ),
    "Write to us at the address below; we answer every request.",
    "our privacy policy",
)


def rights_statement(regime: str) -> RightsStatement:
    """The rights and the complaint route to state for a regime; a US state law without its own entry gets the
    rights the state laws share and its Attorney General."""
    if regime in _STATEMENTS:
        return _STATEMENTS[regime]
    if regime in US_REGIMES:
        return RightsStatement(
            _US_RIGHTS, "You may contact your state's Attorney General.", "your state's privacy law"
        )
    return _NO_LAW
