"""Benchmark (on demand, not part of the test run): the acknowledgement of one large scanned
document on the embedded default (SQLite, local files, jobs in the app's worker thread), against
a bare Flask endpoint that reads the same multipart upload through ``request.files`` to disk with
SHA-256 and fsync (the floor); then how long until the filing is served (the check runs after
the acknowledgement). Runs alternate between the two; the check of one filing ends before the
next run starts.

    .venv/bin/python -m tests.benchmarks.bench_intake [--mb 23] [--runs 7] [--runner thread]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import io
import json
import random
import shutil
import statistics
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Sequence
from pathlib import Path

from flask import Flask
from PIL import Image, ImageDraw
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app, db
from app.migrate import upgrade
from filings.models import Filing, FilingStatus
from filings.tokens import create_token
from tests.benchmarks import bare_app
from tests.helpers import create_attorney
from tests.pdfs import raw_pdf


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


@functools.lru_cache(maxsize=4)
def _scanned_pages(megabytes: float) -> tuple[bytes, ...]:
    """JPEG pages as a scanner makes them (US Letter, 300 dpi, grey): paper grain and lines of
    dark word shapes, each page different, as many as make up ``megabytes``."""
    rnd = random.Random(int(megabytes * 1000))
    pages: list[bytes] = []
    while sum(map(len, pages)) < megabytes * 1024 * 1024 - 64 * 1024:
        page = Image.effect_noise((2550, 3300), 40).point(lambda v: 200 + v * 55 // 255)
        draw = ImageDraw.Draw(page)
        for y in range(300, 3000, 70):
            x = 250
            while x < 2300:
                width = rnd.randint(40, 220)
                draw.rectangle([x, y, x + width, y + 38], fill=rnd.randint(20, 70))
                x += width + 30
        out = io.BytesIO()
        page.save(out, "JPEG", quality=85)
        pages.append(out.getvalue())
    return tuple(pages)


def scanned_pdf(megabytes: float) -> bytes:
    """A scanned-style PDF of about ``megabytes``: one full-page JPEG image per page. The images
    are made once per size; each call gives different bytes (a unique mark in the first page)."""
    return jpeg_pages_pdf(_scanned_pages(megabytes), mark=uuid.uuid4().hex.encode())


def jpeg_pages_pdf(images: Sequence[bytes], mark: bytes = b"") -> bytes:
    """Letter pages, each one greyscale 300 dpi JPEG drawn over the whole page (as a scanner
    writes them); ``mark`` goes into the first page's content as a comment."""
    kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(len(images)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(images)),
    ]
    for i, jpeg in enumerate(images):
        content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
        if i == 0 and mark:
            content = b"%% scan %s\n" % mark + content
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (4 + 3 * i, 5 + 3 * i),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width 2550 /Height 3300 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % len(jpeg)
            + jpeg
            + b"\nendstream",
        ]
    return raw_pdf(objects)


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


def post(
    host: str, path: str, body: bytes, content_type: str, token: str = ""
) -> tuple[float, str]:
    """POST, and the seconds until the whole response was read, and its body."""
    conn = http.client.HTTPConnection(host, timeout=120)
    headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    start = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - start
    assert response.status == 201, (response.status, payload[:500])
    conn.close()
    return elapsed, payload.decode()


def served_after(app: Flask, filing_id: str, started: float) -> float:
    """Seconds from ``started`` until the filing is served (the check after the receipt)."""
    while True:
        with app.app_context():
            status = db.session.scalar(select(Filing.status).where(Filing.id == filing_id))
        if status == FilingStatus.SERVED:
            return time.perf_counter() - started
        assert status == FilingStatus.RECEIVED, status
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=23.0)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--runner",
        choices=["thread", "inline"],
        default="thread",
        help="ESERVICE_JOB_RUNNER: thread (the default) or inline (the check before the receipt)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eservice-bench-"))
    try:
        upgrade(f"sqlite:///{work / 'eservice.db'}")
        app = create_app(
            env={
                "ESERVICE_DATA_DIR": str(work),
                "ESERVICE_ENV": "testing",
                "ESERVICE_PASSWORD_HASH": "scrypt:1024:8:1",
                "ESERVICE_JOB_RUNNER": args.runner,
            }
        )
        with app.app_context():
            from app.offices import seed_offices

            seed_offices()
            db.session.commit()
            token = create_token(create_attorney(), "bench")
        full_host, _ = serve(app)
        (work / "bare").mkdir()
        bare_app.FOLDER = str(work / "bare")
        bare_host, _ = serve(bare_app.app)

        def upload() -> tuple[bytes, str]:
            fields = {
                "office": "ATL",
                "a_number": "A012345678",
                "document_type": "brief",
                "title": f"Bench {uuid.uuid4()}",
            }
            return multipart_body(scanned_pdf(args.mb), fields)

        full, bare, served = [], [], []

        def full_run() -> None:
            body, ctype = upload()
            started = time.perf_counter()
            elapsed, payload = post(full_host, "/api/v1/filings", body, ctype, token)
            full.append(elapsed)
            served.append(served_after(app, json.loads(payload)["id"], started))

        def bare_run() -> None:
            body, ctype = upload()
            bare.append(post(bare_host, "/upload", body, ctype)[0])

        full_run(), bare_run()  # warm up: imports, caches, the job thread
        full.clear(), bare.clear(), served.clear()
        for i in range(args.runs):
            for run in (full_run, bare_run) if i % 2 == 0 else (bare_run, full_run):
                run()
        size = len(scanned_pdf(args.mb))
        pages = len(_scanned_pages(args.mb))
        print(f"document: {size / 2**20:.1f} MB scanned PDF, {pages} pages; {args.runs} runs each")
        full_ms, bare_ms = statistics.median(full) * 1000, statistics.median(bare) * 1000
        print(f"acknowledgement, embedded default (jobs: {args.runner}): median {full_ms:.0f} ms")
        print(f"bare request.files to disk + SHA-256 + fsync:  median {bare_ms:.0f} ms")
        print(f"ratio: {full_ms / bare_ms:.2f}x")
        print(f"served (check done) after: median {statistics.median(served) * 1000:.0f} ms")

        # Memory on its own run: tracing allocations slows Python down and would skew the times.
        body, ctype = upload()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        _, payload = post(full_host, "/api/v1/filings", body, ctype, token)
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        served_after(app, json.loads(payload)["id"], time.perf_counter())
        print(f"peak Python allocations during one acknowledgement: {peak / 2**20:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
