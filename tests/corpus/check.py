"""Check one corpus file exactly as a filing's document is checked: the door check, then (only
if the door lets it in) the deep check in its sandboxed child."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from filings.pdfcheck import quick_look
from filings.sandbox import deep_check
from tests.corpus import materialize
from tests.corpus.model import CorpusFile


@dataclass
class Verdict:
    entry: CorpusFile
    stage: str = "served"  # or "door" / "deep": where it was refused
    pages: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def served(self) -> bool:
        return not self.findings

    def describe(self) -> str:
        """The findings as ``code (detail)``, for a report line or an assertion message."""
        return "; ".join(
            f["code"] + (f" ({_params(f['params'])})" if f["params"] else "") for f in self.findings
        )


def _params(params: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in params.items())


def check(entry: CorpusFile) -> Verdict:
    """Fetch or build the file (not timed), then time the door and the deep check."""
    path = materialize(entry)
    verdict = Verdict(entry)
    started = time.perf_counter()
    with open(path, "rb") as stream:
        look = quick_look(stream)
    verdict.pages = look.pages
    if look.findings:
        verdict.stage = "door"
        verdict.findings = [{"code": f.code, "params": f.params} for f in look.findings]
    else:
        outcome = deep_check(str(path), path.stat().st_size)
        verdict.pages, verdict.warnings = outcome.pages, outcome.warnings
        if outcome.findings:
            verdict.stage, verdict.findings = "deep", outcome.findings
    verdict.seconds = time.perf_counter() - started
    return verdict
