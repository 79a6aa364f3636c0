"""What can be served: document types and the limits on a set, read by the form, API and jobs."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class DocumentType(StrEnum):
    MOTION = "motion"
    BRIEF = "brief"
    EVIDENCE = "evidence"
    E28 = "e28"
    APPLICATION = "application"
    NOTICE_OF_APPEAL = "notice_of_appeal"
    PROSECUTORIAL_DISCRETION = "prosecutorial_discretion"
    JOINT_MOTION = "joint_motion"
    OTHER = "other"


DOCUMENT_TYPE_LABELS: dict[DocumentType, str] = {
    DocumentType.MOTION: "Motion",
    DocumentType.BRIEF: "Brief",
    DocumentType.EVIDENCE: "Evidence / exhibits",
    DocumentType.E28: "E-28 (notice of entry of appearance)",
    DocumentType.APPLICATION: "Application",
    DocumentType.NOTICE_OF_APPEAL: "Notice of appeal",
    DocumentType.PROSECUTORIAL_DISCRETION: "Request for prosecutorial discretion",
    DocumentType.JOINT_MOTION: "Joint motion",
    DocumentType.OTHER: "Other",
}


def document_type_label(code: str | None) -> str:
    """A document type in words; an unknown code (an old row) is shown as it is."""
    if code is None:
        return "Not given"
    try:
        return DOCUMENT_TYPE_LABELS[DocumentType(code)]
    except ValueError:
        return code


# A document this long is almost certainly several documents; the check job refuses it.
MAX_PAGES = 5000
# Title of a filing, as shown on the receipt and in the inbox.
MAX_TITLE = 300

# Check before you serve, per account: each check runs the full checks in a worker, so an
# account may have this many files checked in any rolling window, and this many checks waiting.
CHECK_FILES_PER_WINDOW = 100
CHECK_WINDOW = timedelta(hours=24)
CHECKS_PENDING_AT_ONCE = 2
# A check whose job has not finished after this long is given up (its job was lost): the
# report says to run it again, and its stored files may be removed.
CHECK_GIVE_UP_AFTER = timedelta(hours=1)
# Reports are deleted this long after the check was made.
CHECK_REPORT_KEPT_FOR = timedelta(days=7)
