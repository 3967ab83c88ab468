"""Closed vocabularies of the domain, stored as their string values.

StrEnum keeps them readable in the database, in exports and in the CLI.
"""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    ANONYMISED = "anonymised"


class IdentifierKind(StrEnum):
    GOOGLE_ID = "google_id"
    COOKIE_ID = "cookie_id"
    SESSION_ID = "session_id"
    DEVICE_ID = "device_id"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
    ALL = "all"  # a signal not tied to one channel, such as a GPC opt-out of sale/sharing


class CommPurpose(StrEnum):
    MARKETING = "marketing"
    SALE_SHARING = "sale_sharing"


class PreferenceStatus(StrEnum):
    OPTED_IN = "opted_in"
    OPTED_OUT = "opted_out"


class PreferenceSource(StrEnum):
    UNSUBSCRIBE_LINK = "unsubscribe_link"
    REPLY_STOP = "reply_stop"
    SUPPORT = "support"
    PREFERENCE_FORM = "preference_form"
    GPC = "gpc"
    SIGNUP = "signup"
    SUBJECT_REQUEST = "subject_request"
    IMPORT = "import"


class MessageKind(StrEnum):
    PROMOTIONAL = "promotional"
    TRANSACTIONAL = "transactional"


class MessageTiming(StrEnum):
    """Where a promotional message sent under an opt-out falls (data_access.opt_out_sends decides it)."""

    WITHIN_LIMIT = (
        "within legal limit"  # before suppression and before the deadline ended: late, not unlawful
    )
    AFTER_SUPPRESSION = "after suppression applied"  # violation: the opt-out had taken effect
    AFTER_LEGAL_LIMIT = "after legal limit"  # violation: the law's deadline had passed


class RecipientRole(StrEnum):
    HOSTING = "hosting"
    TECHNOLOGY_PLATFORM = "technology_platform"
    PAYMENT_PROCESSOR = "payment_processor"
    ANALYTICS = "analytics"
    PROFESSIONAL_ADVISER = "professional_adviser"
    MARKETING = "marketing"


class ContractStatus(StrEnum):
    SIGNED = "signed"
    PENDING = "pending"
    EXPIRED = "expired"
    NONE = "none"


class LegalBasis(StrEnum):
    CONTRACT = "contract"
    CONSENT = "consent"
    LEGITIMATE_INTERESTS = "legitimate_interests"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"


class LegalRequestType(StrEnum):
    SUBPOENA = "subpoena"
    COURT_ORDER = "court_order"
    SEARCH_WARRANT = "search_warrant"
    EMERGENCY = "emergency"
    NATIONAL_SECURITY = "national_security"
    OTHER = "other"


class ReviewDecision(StrEnum):
    PENDING = "pending"
    COMPLY = "comply"
    PARTIALLY_COMPLY = "partially_comply"
    REJECT = "reject"


class DisclosureOutcome(StrEnum):
    PENDING = "pending"
    ALL = "all"
    SOME = "some"
    NONE = "none"


class TransferEvent(StrEnum):
    MERGER = "merger"
    ACQUISITION = "acquisition"
    ASSET_SALE = "asset_sale"


class RequestType(StrEnum):
    ACCESS = "access"
    PORTABILITY = "portability"
    DELETION = "deletion"
    CORRECTION = "correction"
    OPT_OUT_MARKETING = "opt-out-marketing"
    OPT_OUT_SALE = "opt-out-sale"
    RESTRICTION = "restriction"
    OBJECTION = "objection"


class RequestChannel(StrEnum):
    WEB_FORM = "web_form"
    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"
    AUTHORISED_AGENT = "authorised_agent"


class RequestStatus(StrEnum):
    RECEIVED = "received"
    VERIFYING = "verifying"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CLOSED_UNVERIFIED = "closed_unverified"


OPEN_REQUEST_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.VERIFYING,
    RequestStatus.IN_PROGRESS,
    RequestStatus.EXTENDED,
)


class Role(StrEnum):
    MANAGER = "manager"
    EXECUTIVE = "executive"
    AUDITOR = "auditor"
    ADMIN = "admin"


class BatchStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    DRY_RUN = "dry_run"


class IncidentRisk(StrEnum):
    """GDPR Art. 33(1) and 34(1): a breach unlikely to result in a risk needs no notice to the authority; one
    likely to result in a high risk must also be told to the people affected."""

    UNLIKELY = "unlikely"
    RISK = "risk"
    HIGH_RISK = "high_risk"


class IncidentStatus(StrEnum):
    OPEN = "open"
    CONTAINED = "contained"
    CLOSED = "closed"
