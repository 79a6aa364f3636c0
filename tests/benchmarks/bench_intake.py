"""Benchmark (on demand, not part of the test run): acknowledgement latency and memory of one
large document served through the whole stack on the embedded default, against a bare endpoint
that only streams the same upload to disk with SHA-256 (the floor).

    .venv/bin/python -m tests.benchmarks.bench_intake [--mb 24] [--runs 5]
"""

from __future__ import annotations

import argparse
import http.client
import io
import shutil
import statistics
import tempfile
import threading
import time
import tracemalloc
import uuid
from pathlib import Path

from flask import Flask
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject
from werkzeug.serving import make_server

from app import create_app, db
from app.migrate import upgrade
from filings.tokens import create_token
from tests.benchmarks import bare_app
from tests.helpers import create_attorney


def big_pdf(megabytes: float) -> bytes:
    """A valid PDF whose page content stream is padded (with comments) to the size asked for;
    different bytes each time."""
    writer = PdfWriter()
    writer.add_metadata({"/Title": str(uuid.uuid4())})
    page = writer.add_blank_page(width=612, height=792)
    line = b"% padding to make a large, ordinary, uncompressed content stream\n"
    content = StreamObject()
    content.set_data(line * int(megabytes * 1024 * 1024 / len(line)))
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def multipart_body(content: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
    )
    body = b"".join(parts) + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def serve(app: Flask) -> tuple[str, object]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"127.0.0.1:{server.port}", server


def post(host: str, path: str, body: bytes, content_type: str, token: str = "") -> float:
    conn = http.client.HTTPConnection(host, timeout=120)
    headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    start = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    assert response.status == 201, response.status
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=24.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--defer-checks",
        action="store_true",
        help="leave check jobs pending, as when workers run them: intake alone",
    )
    args = parser.parse_args()
    if args.defer_checks:
        from workers import outbox

        outbox._run_inline = lambda job: False  # type: ignore[assignment]
    work = Path(tempfile.mkdtemp(prefix="eservice-bench-"))
    try:
        upgrade(f"sqlite:///{work / 'eservice.db'}")
        app = create_app(
            env={
                "ESERVICE_DATA_DIR": str(work),
                "ESERVICE_ENV": "testing",
                "ESERVICE_PASSWORD_HASH": "scrypt:1024:8:1",
            }
        )
        with app.app_context():
            from app.offices import seed_offices

            seed_offices()
            db.session.commit()
            token = create_token(create_attorney(), "bench")
        content = big_pdf(args.mb)
        full_host, _ = serve(app)
        (work / "bare").mkdir()
        bare_app.FOLDER = str(work / "bare")
        bare_host, _ = serve(bare_app.app)
        full, bare = [], []
        tracemalloc.start()
        peak_full = 0
        for _ in range(args.runs):
            body, ctype = multipart_body(
                content,
                {
                    "office": "ATL",
                    "a_number": "A012345678",
                    "document_type": "brief",
                    "title": f"Bench {uuid.uuid4()}",
                },
            )
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            full.append(post(full_host, "/api/v1/filings", body, ctype, token))
            peak_full = max(peak_full, tracemalloc.get_traced_memory()[1] - base)
            bare.append(post(bare_host, "/upload", content, "application/pdf"))
        tracemalloc.stop()
        print(f"document: {len(content) / 2**20:.1f} MB, {args.runs} runs each")
        full_ms, bare_ms = statistics.median(full) * 1000, statistics.median(bare) * 1000
        what = "receipt only, checks deferred" if args.defer_checks else "receipt + inline check"
        print(f"full stack ({what}): median {full_ms:.0f} ms")
        print(f"bare stream-to-disk + SHA-256:           median {bare_ms:.0f} ms")
        print(f"ratio: {statistics.median(full) / statistics.median(bare):.2f}x")
        print(
            f"peak Python allocations during one full-stack request (client body included): "
            f"{peak_full / 2**20:.1f} MB"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
