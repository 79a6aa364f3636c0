"""Check before you serve: the same checks a filing gets — intake, the deep check in a child
process, the malware scan — on files that are not served and not stored."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from flask import current_app
from werkzeug.datastructures import FileStorage

from filings import intake
from filings.checks import check_document
from filings.problems import Problem, problem


@dataclass
class DocumentReport:
    filename: str
    pages: int
    bytes: int
    sha256: str
    problems: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CheckReport:
    problems: list[dict[str, Any]]  # of the set as a whole
    documents: list[DocumentReport]

    @property
    def ok(self) -> bool:
        return not self.problems and not any(d.problems for d in self.documents)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "documents": [asdict(d) for d in self.documents],
        }


def check_files(files: list[FileStorage]) -> CheckReport:
    settings = current_app.config["ESERVICE"]
    set_problems, examined = intake.examine(
        files,
        max_document_bytes=settings.max_document_bytes,
        max_filing_bytes=settings.max_filing_bytes,
        max_files=settings.max_documents_per_filing,
    )
    reports = []
    for item in examined:
        upload = item.upload
        report = DocumentReport(
            item.filename,
            item.pages,
            upload.size,
            upload.sha256 if not upload.over_cap else "",
            [p.as_dict() for p in item.problems],
        )
        if not item.problems:
            result = check_document(
                upload.name, upload.file, upload.size, item.filename, settings.clamd_url
            )
            report.pages = result.pages or report.pages
            report.problems += result.problems
            report.warnings = result.warnings
            if result.scan_unavailable:
                report.problems.append(_scanner_down(item.filename).as_dict())
        reports.append(report)
    return CheckReport([p.as_dict() for p in set_problems], reports)


def _scanner_down(filename: str) -> Problem:
    return problem(
        "invalid_field",
        filename,
        field="files",
        detail="The malware scanner is not answering just now, so this file could "
        "not be checked for malware. Try the check again in a few minutes.",
    )
