"""Benchmark (on demand): what proof of service costs. Signing and checking a receipt (Ed25519
JWS), building the Notice of Service PDF of a full set (20 documents, QR codes of the JWS), and
stamping a document's every page in the sandboxed child, by page count.

    .venv/bin/python -m tests.benchmarks.bench_receipts
"""

from __future__ import annotations

import hashlib
import io
import os
import statistics
import time
from datetime import date

from pypdf import PdfWriter

from filings import receipt_signing
from filings.notice_pdf import Notice, NoticeDocument, build
from filings.stamp import stamp_pdf


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def _claims(documents: int) -> dict[str, object]:
    return {
        "typ": "occ-eservice-receipt/1",
        "receipt_number": "ES-ATL-20261123-7KQ4-M2XD",
        "office": {"code": "ATL", "name": "OCC Atlanta", "timezone": "America/New_York"},
        "received_at": "2026-11-23T15:04:05.123456Z",
        "status": "served",
        "documents": [
            {
                "filename": f"Exhibit {i} - declaration of the respondent.pdf",
                "pages": 12,
                "bytes": 1_234_567,
                "sha256": hashlib.sha256(str(i).encode()).hexdigest(),
                "document_type": "evidence",
            }
            for i in range(documents)
        ],
    }


def bench_signing(rounds: int = 300) -> str:
    key = receipt_signing.new_key(date.today())
    jwks = {"keys": [receipt_signing.public_jwk(key)]}
    claims = _claims(20)
    signs, checks = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        token = receipt_signing.sign(claims, key)
        signs.append(time.perf_counter() - start)
        start = time.perf_counter()
        receipt_signing.verify(token, jwks)
        checks.append(time.perf_counter() - start)
    return f"JWS of 20 documents ({len(token)} characters): sign {_ms(signs)}; verify {_ms(checks)}"


def bench_notice(rounds: int = 10) -> str:
    key = receipt_signing.new_key(date.today())
    token = receipt_signing.sign(_claims(20), key)
    notice = Notice(
        receipt_number="ES-ATL-20261123-7KQ4-M2XD",
        office="OCC Atlanta (ATL)",
        served=True,
        state="Served",
        state_detail="Service was complete when the set was received.",
        filer_name="Ana Bar",
        filer_firm="Bar & Partners LLP",
        filer_ids="GA bar no. 448812; EOIR ID AB123456",
        a_numbers=["A012-345-678", "A012-345-679"],
        document_type="Evidence",
        title="Respondent's evidence in support of the application",
        received_local="November 23, 2026, 10:04:05 AM EST",
        received_utc="2026-11-23T15:04:05.123456Z",
        documents=[
            NoticeDocument(d["filename"], "Evidence", 12, 1_234_567, d["sha256"])  # type: ignore[index]
            for d in _claims(20)["documents"]  # type: ignore[union-attr]
        ],
        jws=token,
        verify_url="https://eservice.example.gov/verify",
        jwks_url="https://eservice.example.gov/.well-known/jwks.json",
    )
    times, size = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        size = len(build(notice))
        times.append(time.perf_counter() - start)
    return (
        f"Notice of Service PDF, 20 documents, JWS {len(token)} chars: {_ms(times)}, {size:,} bytes"
    )


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bench_stamp(rounds: int = 3) -> list[str]:
    lines = []
    for pages in (1, 20, 200):
        pdf = _pdf(pages)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            stamp_pdf(pdf, "Served on OCC Atlanta, 23 Nov 2026 10:04 EST, receipt ES-ATL-X")
            times.append(time.perf_counter() - start)
        lines.append(f"stamp {pages:>3} pages in the child: {_ms(times)}")
    return lines


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(bench_signing())
    print(bench_notice())
    for line in bench_stamp():
        print(line)


if __name__ == "__main__":
    main()
