"""All ORM models; importing this package registers every table on Base.metadata."""

from data_access.models.activity import AccessLogEntry, UsageEvent
from data_access.models.base import Base
from data_access.models.comms import CommunicationPreference, Consent, Message, PreferenceEvent
from data_access.models.erasure_notices import ErasureRecipientNotice
from data_access.models.incidents import IncidentPerson, SecurityIncident
from data_access.models.ingest import ImportBatch, RejectedRow, Setting, SyncState, UrlPiiFinding
from data_access.models.legal import (
    BusinessTransfer,
    BusinessTransferPerson,
    LegalRequest,
    LegalRequestPerson,
)
from data_access.models.people import (
    BillingProfile,
    Contact,
    FieldChange,
    Invoice,
    PersistentIdentifier,
    Person,
    RetentionHold,
)
from data_access.models.policy import CheckSnapshot, PolicyNotification, PolicyVersion
from data_access.models.requests import SubjectRequest, SubjectRequestEvent
from data_access.models.rollups import (
    ActivityDaily,
    ActivityDayTotal,
    ActivityFirstDay,
    FeatureDaily,
    OptOutHonourMonthly,
    PreferenceFlowMonthly,
    TrafficDaily,
)
from data_access.models.sharing import Recipient, SharingRecord, SharingRecordPerson
from data_access.models.staff import AuditEntry, AuditHead, StaffAccount, StaffWebSession

# isort: split
# Register the mapper events that keep messages.opt_out_event_id and optout_honour_monthly current
# on every ORM write (imported last: they use the models above).
import data_access.opt_out_sends  # noqa: E402, F401
import data_access.optout_honour  # noqa: E402, F401

__all__ = [
    "AccessLogEntry",
    "ActivityDaily",
    "ActivityDayTotal",
    "ActivityFirstDay",
    "AuditEntry",
    "AuditHead",
    "Base",
    "BillingProfile",
    "CheckSnapshot",
    "BusinessTransfer",
    "BusinessTransferPerson",
    "CommunicationPreference",
    "Consent",
    "Contact",
    "ErasureRecipientNotice",
    "FeatureDaily",
    "FieldChange",
    "ImportBatch",
    "IncidentPerson",
    "Invoice",
    "LegalRequest",
    "LegalRequestPerson",
    "Message",
    "OptOutHonourMonthly",
    "PersistentIdentifier",
    "Person",
    "PolicyNotification",
    "PolicyVersion",
    "PreferenceEvent",
    "PreferenceFlowMonthly",
    "Recipient",
    "RejectedRow",
    "RetentionHold",
    "Setting",
    "SharingRecord",
    "SecurityIncident",
    "SharingRecordPerson",
    "StaffAccount",
    "StaffWebSession",
    "SubjectRequest",
    "SubjectRequestEvent",
    "SyncState",
    "TrafficDaily",
    "UrlPiiFinding",
    "UsageEvent",
]
