"""Every reason a filing or one of its documents is refused, in one table.

The form, the API, the check job and the auto-response e-mail all take their words from here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MESSAGES: dict[str, str] = {
    # the set as a whole
    "invalid_field": "{detail}",
    "no_files": "Attach at least one PDF document.",
    "too_many_files": "A document set may hold at most {limit} files; serve the rest as a "
    "separate set.",
    "set_too_large": "The documents together are over the {limit} MB limit for one set; serve "
    "them as two or more sets.",
    "no_e28_on_record": "You have no E-28 on record for A-Number {a_number}. Include your E-28 "
    "in this set (document type E-28) to serve on this case.",
    "not_verified": "Your registration is not verified yet, so you cannot serve documents.",
    "duplicate_file": "{file} is the same document as {other} in this set; attach it once.",
    # checking files before serving them
    "email_unconfirmed": "Confirm your e-mail address first: follow the link in the e-mail we "
    "sent when you registered (your Registration page can send it again). Then you can check "
    "files.",
    "account_suspended": "Your account is suspended, so you cannot check files.",
    "checks_pending": "You already have {pending} checks running, and at most {limit} may run "
    "at once. Wait until one has finished, then try again.",
    "checks_per_day": "You have had {used} files checked in the last {hours} hours; the limit is "
    "{limit} files in any {hours} hours, and these are {new} more. Try again after {retry_at} "
    "UTC.",
    "check_not_stored": "Your files could not be stored for checking just now. Try again in a "
    "few minutes.",
    "check_given_up": "These files could not be checked within {hours}, so nothing was checked. "
    "Run the check again.",
    "scanner_no_verdict": "The malware scanner is not answering just now, so {file} could not be "
    "checked for malware. Try the check again in a few minutes.",
    # one file, at intake or in the check job
    "empty_file": "{file} is empty (0 bytes).",
    "file_too_large": "{file} is over the {limit} MB limit for one document. Split it into "
    "parts of at most {limit} MB and serve them in one set.",
    "not_pdf": "{file} is not a PDF (its content looks like {detected}). Save or print it as "
    "PDF and serve it again.",
    "junk_before_header": "{file} does not begin with a PDF header (it has {count} bytes of "
    "something else first). Save it again as PDF from the program that "
    "made it.",
    "damaged": "{file} is damaged and cannot be read faithfully ({detail}). Save it again as "
    "PDF from the program that made it.",
    "encrypted": "{file} is protected by a password or encrypted. Open it, remove the password "
    "and security settings (or print it to a new PDF) and serve it again.",
    "no_pages": "{file} has no pages.",
    "too_many_pages": "{file} has {pages} pages; a document may have at most {limit}. Split it "
    "into parts.",
    "javascript": "{file} contains JavaScript. Print it to a new PDF (or flatten it) to remove "
    "scripts, and serve it again.",
    "launch_action": "{file} contains an action that would launch a program or open another "
    "file. Print it to a new PDF and serve it again.",
    "form_action": "{file} contains a form action that would send or import data. Flatten the "
    "form (print to a new PDF) and serve it again.",
    "embedded_file": "{file} has files attached inside it. Serve each attachment as its own PDF "
    "document instead.",
    "rich_media": "{file} contains audio, video or other rich media. Remove it (print to a new "
    "PDF) and serve it again.",
    "xfa_form": "{file} is an XFA (dynamic) form. Print it to a new PDF and serve it again.",
    "three_d": "{file} contains 3D content, which can run scripts. Print it to a new PDF (the "
    "3D view becomes a picture) and serve it again.",
    "unsafe_link": "{file} has a link that would open something other than a web page or an "
    "e-mail ({link}). Remove that link, or make it a web address starting with https://, and "
    "serve it again.",
    "external_stream": "{file} takes part of its content from another file, so what OCC sees "
    "could differ from what you served. Print it to a new PDF and serve it again.",
    "trailing_data": "{file} has data that is not part of the PDF attached to it ({detail}), "
    "which other programs could open as something else. Save it again as PDF from the program "
    "that made it, or print it to a new PDF, and serve it again.",
    "decompression_bomb": "{file} expands beyond {limit} MB when its compressed content is "
    "unpacked (a decompression bomb). Print it to a new PDF and serve it again.",
    "too_complex": "{file} could not be checked within the limits ({detail}). Print it to a "
    "new PDF, or split it, and serve it again.",
    "xref_cycle": "{file} has a cross-reference table that points back at itself, so it cannot "
    "be read faithfully. Save it again as PDF from the program that made it.",
    "page_tree_cycle": "{file} has a page list that contains itself, so its pages cannot be "
    "read faithfully. Save it again as PDF from the program that made it.",
    "malware": "{file} was refused by the malware scanner ({detail}). Nothing was served.",
    "scan_unavailable": "The malware scanner could not check these documents, so the set is "
    "held for review by OCC staff and is not served yet. You will be e-mailed the outcome.",
    "checksum_mismatch": "The stored copy of {file} does not match the bytes received. Serve "
    "the set again.",
    "storage_unavailable": "Your documents could not be stored just now, so nothing was served. "
    "Try again in a few minutes.",
}


# Not reasons to refuse: shown on the receipt and to staff, so the attorney can do better.
WARNINGS: dict[str, str] = {
    "image_only_pages": "{file}: {count} of {pages} pages are images without searchable text "
    "(scanned). Consider running OCR so OCC can search it.",
    "mixed_page_sizes": "{file} mixes page sizes or orientations ({sizes}).",
    "fillable_form": "{file} has fillable form fields. What they show now is what was served; "
    "flatten the form if it must not change.",
    "large_document": "{file} is {mb} MB; documents over {suggested} MB are easier to handle "
    "split into parts.",
}


def warning(code: str, file: str, **params: Any) -> dict[str, Any]:
    return {
        "code": code,
        "message": WARNINGS[code].format(file=f"“{file}”", **params),
        "file": file,
    }


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    file: str | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def problem(code: str, file: str | None = None, field: str | None = None, **params: Any) -> Problem:
    """Build a problem from its code; ``file`` is the attorney's (sanitised) file name."""
    text = MESSAGES[code].format(file=f"“{file}”" if file else "A document", **params)
    return Problem(code=code, message=text, file=file, field=field)


class FilingRefused(Exception):
    """Raised by intake and services; carries every problem found, never just the first."""

    def __init__(self, problems: list[Problem], status: int = 422) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
        self.status = status
