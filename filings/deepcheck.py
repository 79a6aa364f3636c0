"""The deep check of one PDF, meant to run in a child process under hard limits (see
filings/sandbox.py): ``python -m filings.deepcheck PATH [SIZE]`` prints a JSON report.

Pure: no Flask, no database. It reads the cross-reference chain from the raw bytes (cycles,
encryption), opens the file strictly with pypdf (or, where the strict parse fails, by the
two-parser rule of filings/pdfagree.py), walks every object reachable from the trailer once
(filings/pdfwalk.py: each dictionary judged by its own keys, every stream measured through its
general-purpose filters), and reports:
- findings (refusals): active content, attachments, unsafe links, external streams,
  encryption, decompression bombs, objects nested too deeply, cross-reference cycles, damage;
- warnings (served anyway): pages without searchable text, mixed page sizes, fillable forms,
  a large document.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from dataclasses import asdict
from typing import Any

from pypdf import PdfReader
from pypdf.errors import LimitReachedError

from filings.pdfagree import Disagreement, agreeing_reader, hybrid_disagreement
from filings.pdfcheck import reason, trailing_data, unreadable
from filings.pdftrailer import read_chain
from filings.pdfwalk import MB, Limits, Report, Stop, Walk, form_findings, page_warnings
from filings.sandbox import apply_limits

__all__ = ["Limits", "Report", "door", "inspect", "main"]

# pypdf's messages can quote document content: never printed, only collected (see _Repairs).
_pypdf_log = logging.getLogger("pypdf")
_pypdf_log.setLevel(logging.WARNING)
_pypdf_log.propagate = False
_pypdf_log.addHandler(logging.NullHandler())


class _Repairs(logging.Handler):
    """What pypdf repaired while reading: even its strict mode finds a misplaced object by
    searching the file, and a search can pick another revision's copy."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    # Said of a string, not of the file's structure: a backslash before a letter that is no
    # escape, which the standard says to ignore (pypdf keeps it; nothing is looked up by it).
    NOT_REPAIRS = ("Unexpected escaped string",)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(self.NOT_REPAIRS):
            self.messages.append(message)

    def __enter__(self) -> _Repairs:
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger("pypdf").removeHandler(self)


def _second_opinion(path: str, why: str) -> PdfReader:
    """The two-parser rule (filings/pdfagree.py); raises _Damaged, with both parsers' words,
    when it does not hold."""
    try:
        return agreeing_reader(path)
    except (RecursionError, MemoryError, LimitReachedError):
        raise
    except Disagreement as exc:
        raise _Damaged(f"{why}; {exc}"[:160]) from None
    except Exception:  # the tolerant parser gave up too
        raise _Damaged(why) from None


class _Damaged(Exception):
    """Neither the strict reading nor the two-parser rule reads the file."""


def _read(path: str, limits: Limits, report: Report, examine: Any) -> None:
    """Run ``examine(reader, limits, report)`` on pypdf's strict reading of the file; where the
    strict reading fails or needed a repair, start again on the two-parser rule's reading."""
    with _Repairs() as repairs:
        try:
            examine(PdfReader(path, strict=True), limits, report)
            if not repairs.messages:
                return
            why = "it needed repair: " + reason(Exception(repairs.messages[0]))
        except (Stop, RecursionError, MemoryError, LimitReachedError):
            raise
        except Exception as exc:  # pypdf raises many kinds on a file it will not read strictly
            finding = unreadable(exc)
            if finding.code != "damaged":  # a page list that contains itself: no second opinion
                report.find(finding.code, **finding.params)
                raise Stop from None
            why = reason(exc)
    report.findings.clear()
    report.warnings.clear()
    examine(_second_opinion(path, why), limits, report)


def _pages(reader: PdfReader, limits: Limits, report: Report) -> None:
    if reader.is_encrypted:
        report.find("encrypted")
        raise Stop
    report.pages = len(reader.pages)
    if report.pages == 0:
        report.find("no_pages")
    elif report.pages > limits.max_pages:
        report.find("too_many_pages", pages=report.pages, limit=limits.max_pages)
        raise Stop


def _everything(
    reader: PdfReader, limits: Limits, report: Report, hybrids: list[tuple[int, int]]
) -> None:
    _pages(reader, limits, report)
    if hybrids and hybrid_disagreement(reader, hybrids):
        report.find("damaged", detail="its two cross-reference tables place objects differently")
        raise Stop
    texts = Walk(reader, limits, report).run()
    form_findings(reader, report)
    page_warnings(reader, report, texts)


def _guarded(report: Report, limits: Limits, run: Any) -> None:
    """Run one check, turning every way it can end into findings."""
    try:
        run()
    except Stop:
        pass
    except _Damaged as exc:
        report.find("damaged", detail=str(exc))
    except LimitReachedError:
        report.find("decompression_bomb", limit=limits.max_decoded_bytes // MB)
    except RecursionError:
        report.find("too_complex", detail="nested too deeply")
    except MemoryError:
        report.find("too_complex", detail="it needs more memory than the check allows")
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        finding = unreadable(exc)
        report.find(finding.code, **finding.params)


def inspect(path: str, limits: Limits, size: int | None = None) -> Report:
    report = Report()

    def run() -> None:
        with open(path, "rb") as stream:
            chain = read_chain(stream)
            attached = trailing_data(stream)
        if attached:
            report.find(attached.code, **attached.params)
        elif chain.encrypted:
            report.find("encrypted")
        elif chain.cycle:
            report.find("xref_cycle")
        elif chain.too_long:
            report.find("too_complex", detail="too many cross-reference sections")
        else:
            _read(path, limits, report, functools.partial(_everything, hybrids=chain.hybrids))

    _guarded(report, limits, run)
    if size is not None and size > limits.large_document_bytes and not report.findings:
        report.warn(
            "large_document", mb=round(size / MB, 1), suggested=limits.large_document_bytes // MB
        )
    return report


def door(path: str, limits: Limits) -> Report:
    """What intake needs: the file opens (strictly or by the two-parser rule) and has pages."""
    report = Report()
    _guarded(report, limits, lambda: _read(path, limits, report, _pages))
    return report


def _peak_kb() -> int | None:
    """This process's peak resident memory since it started (Linux), for the benchmarks."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv: list[str]) -> int:
    """``PATH [SIZE | --door] [--limits ADDRESS_SPACE_BYTES CPU_SECONDS]``"""
    if "--limits" in argv:
        at = argv.index("--limits")
        apply_limits(int(argv[at + 1]), int(argv[at + 2]))
        argv = argv[:at]
    sys.setrecursionlimit(5000)
    if len(argv) > 2 and argv[2] == "--door":
        report = door(argv[1], Limits())
    else:
        size = int(argv[2]) if len(argv) > 2 else None
        report = inspect(argv[1], Limits(), size)
    sys.stdout.write(json.dumps({**asdict(report), "peak_kb": _peak_kb()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
