"""Every model, imported once so the metadata is complete (for Alembic and for tests)."""

import app.mfa  # noqa: F401  (its models)
from app.audit import AuditEvent
from app.db import Base
from app.notifications import Notification
from app.offices import Office
from app.sessions import UserSession
from app.tokens import ApiToken
from app.users import User
from filings.decision_models import FilingDecision, ReasonTemplate
from filings.draft_models import DraftFile, DraftSet
from filings.models import Document, Filing, FilingRider
from filings.occ_service_models import OccService, OccServiceDocument, OccServiceRecipient
from filings.precheck_models import CheckedFile, FileCheck
from filings.signed_receipt_models import SignedReceipt
from registration.models import Appearance, AttorneyProfile, ClaimedANumber
from workers.outbox import OutboxJob

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Appearance",
    "AttorneyProfile",
    "AuditEvent",
    "CheckedFile",
    "ClaimedANumber",
    "Document",
    "DraftFile",
    "DraftSet",
    "FileCheck",
    "Filing",
    "FilingDecision",
    "FilingRider",
    "Notification",
    "OccService",
    "OccServiceDocument",
    "OccServiceRecipient",
    "Office",
    "OutboxJob",
    "ReasonTemplate",
    "SignedReceipt",
    "User",
    "UserSession",
    "metadata",
]
