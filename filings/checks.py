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


def check_document(
    path: str, stream: IO[bytes], size: int, filename: str, clamd_url: str = ""
) -> DocumentCheck:
    """Everything wrong with one document, every warning; raises ScannerUnavailable when a
    configured scanner gives no verdict (the caller retries, then holds)."""
    outcome = deep_check(path, size)
    result = DocumentCheck(pages=outcome.pages)
    result.problems = [
        problem(f["code"], filename, **f["params"]).as_dict() for f in outcome.findings
    ]
    result.warnings = [warning(w["code"], filename, **w["params"]) for w in outcome.warnings]
    if clamd_url:
        signature = malware.scan(clamd_url, stream)
        if signature is not None:
            result.problems.append(problem("malware", filename, detail=signature).as_dict())
    return result
