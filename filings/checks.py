"""The checks of one stored document, shared by the check job and "check before you serve":
the deep check in a child process under limits, then the malware scan where one is set up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from filings import malware
from filings.problems import problem, warning
from filings.sandbox import deep_check


@dataclass
class DocumentCheck:
    pages: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # Why a configured malware scanner gave no verdict; None when it gave one (or none is set).
    scan_unavailable: str | None = None


def check_document(
    path: str, stream: IO[bytes], size: int, filename: str, clamd_url: str = ""
) -> DocumentCheck:
    """Everything wrong with one document and every warning. A scanner that gives no verdict
    does not hide what the deep check found: its reason is in ``scan_unavailable`` and the
    problems are all there, so the caller refuses a document with problems whatever the
    scanner says, and holds (or retries) only a document with none."""
    outcome = deep_check(path, size)
    result = DocumentCheck(pages=outcome.pages)
    result.problems = [
        problem(f["code"], filename, **f["params"]).as_dict() for f in outcome.findings
    ]
    result.warnings = [warning(w["code"], filename, **w["params"]) for w in outcome.warnings]
    if clamd_url:
        try:
            signature = malware.scan(clamd_url, stream)
        except malware.ScannerUnavailable as exc:
            result.scan_unavailable = str(exc)
        else:
            if signature is not None:
                result.problems.append(problem("malware", filename, detail=signature).as_dict())
    return result
