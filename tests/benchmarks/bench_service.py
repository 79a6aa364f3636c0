"""Benchmark (on demand): the production stack on this machine — gunicorn (2 workers),
PostgreSQL, Redis with 2 RQ workers, S3 (SeaweedFS), SMTP — measured in one run:

- acknowledgement latency of a PDF just under 25 MB, against a bare endpoint behind gunicorn
  that only streams the same request to disk with SHA-256 (the floor);
- filings acknowledged per second for one-page PDFs, with 1 and with 16 clients;
- peak memory growth of the gunicorn worker that receives a 100 MB request.

    .venv/bin/python -m tests.benchmarks.bench_service [--runs 7]
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from app import create_app, db
from app.migrate import upgrade
from filings.tokens import create_token
from tests.benchmarks.bench_intake import big_pdf
from tests.conftest import POSTGRES_ADMIN_URL
from tests.helpers import create_attorney, multipart
from tests.pdfs import pdf_bytes
from tests.services import (
    BIN,
    Process,
    RedisServer,
    app_process_env,
    aws_env,
    free_port,
    port_open,
    seaweed,
    start_gunicorn,
    start_worker,
    wait_until,
)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def post(port: int, path: str, form: dict, token: str = "") -> tuple[float, int]:
    headers = {"Content-Type": form["content_type"], "Idempotency-Key": uuid.uuid4().hex}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    start = time.perf_counter()
    conn.request("POST", path, body=form["data"], headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, response.status


def pending_checks(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM filings WHERE status = 'received'"))
        pending = int(count.scalar_one())
    engine.dispose()
    return pending


def filing_form(files: list[tuple[bytes, str]]) -> dict:
    return multipart(
        {
            "office": "ATL",
            "a_number": "A012345678",
            "document_type": "brief",
            "title": f"Bench {uuid.uuid4()}",
            "files": [(io.BytesIO(c), n) for c, n in files],
        }
    )


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def worker_pids(master: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--storage",
        choices=["s3", "local"],
        default="s3",
        help="where the full stack stores documents",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eservice-bench-"))
    name = f"eservice_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    processes: list[Process] = []
    redis = RedisServer(work)
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    try:
        upgrade(db_url)
        redis.start()
        smtp.start()
        (work / "s3").mkdir()
        with seaweed(work / "s3") as s3:
            settings = {
                "ESERVICE_ENV": "production",
                "ESERVICE_SECRET_KEY": uuid.uuid4().hex * 2,
                "ESERVICE_DATA_DIR": str(work / "instance"),
                "ESERVICE_DATABASE_URL": db_url,
                "ESERVICE_REDIS_URL": redis.url,
                "ESERVICE_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
                "ESERVICE_STORAGE_URL": f"s3://{s3['bucket']}/bench",
                **aws_env(s3),
            }
            env = app_process_env(settings)
            os.environ.update(aws_env(s3))  # boto3 in this process reads them from here
            app = create_app(env=settings)
            with app.app_context():
                from app.offices import seed_offices

                seed_offices()
                db.session.commit()
                token = create_token(create_attorney(), "bench")
            app.extensions["eservice.engine"].dispose()
            full_port, bare_port = free_port(), free_port()
            gunicorn = start_gunicorn(env, work / "gunicorn.log", full_port)
            processes.append(gunicorn)
            processes.append(
                Process(
                    [
                        str(BIN / "gunicorn"),
                        "--bind",
                        f"127.0.0.1:{bare_port}",
                        "--workers",
                        "2",
                        "tests.benchmarks.bare_app:app",
                    ],
                    {**env, "BARE_UPLOAD_DIR": str(work)},
                    work / "bare.log",
                )
            )
            wait_until(lambda: port_open(bare_port), 30, "bare gunicorn")
            for n in range(2):
                processes.append(start_worker(env, work / f"worker{n}.log", f"bench{n}"))

            document = big_pdf(24.9)
            post(full_port, "/api/v1/filings", filing_form([(pdf_bytes(), "warm.pdf")]), token)
            full, bare = [], []
            for _ in range(args.runs):
                form = filing_form([(big_pdf(24.9), "big.pdf")])
                # Each timing on a quiet machine: the workers' check of the previous filing
                # (a full parse of 25 MB) would otherwise share the two cores with it.
                wait_until(lambda: pending_checks(db_url) == 0, 120, "checks to finish")
                elapsed, status = post(full_port, "/api/v1/filings", form, token)
                assert status == 201, status
                full.append(elapsed)
                wait_until(lambda: pending_checks(db_url) == 0, 120, "checks to finish")
                elapsed, status = post(bare_port, "/upload", form)
                assert status == 201, status
                bare.append(elapsed)
            full_ms, bare_ms = statistics.median(full) * 1000, statistics.median(bare) * 1000
            print(
                f"acknowledgement, {len(document) / 2**20:.1f} MB PDF, median of {args.runs}, "
                f"documents stored in {args.storage}:"
            )
            print(
                f"  full stack {full_ms:.0f} ms, bare endpoint {bare_ms:.0f} ms, "
                f"ratio {full_ms / bare_ms:.2f}x"
            )

            for clients, each in ((1, 40), (16, 10)):
                forms = [
                    [filing_form([(pdf_bytes(), "one.pdf")]) for _ in range(each)]
                    for _ in range(clients)
                ]
                start = time.perf_counter()
                with ThreadPoolExecutor(clients) as pool:
                    statuses = [
                        s
                        for batch in pool.map(
                            lambda fs: [
                                post(full_port, "/api/v1/filings", f, token)[1] for f in fs
                            ],
                            forms,
                        )
                        for s in batch
                    ]
                rate = len(statuses) / (time.perf_counter() - start)
                assert set(statuses) == {201}, statuses
                print(f"one-page filings acknowledged, {clients:>2} clients: {rate:.1f}/s")

            pids = worker_pids(gunicorn.pid)
            before = {pid: peak_rss_kb(pid) for pid in pids}
            big_form = filing_form([(big_pdf(24.9), f"part{i}.pdf") for i in range(4)])
            _, status = post(full_port, "/api/v1/filings", big_form, token)
            growth = max(peak_rss_kb(pid) - before[pid] for pid in pids) / 1024
            print(
                f"100 MB request ({len(big_form['data']) / 2**20:.1f} MB, status {status}): "
                f"peak RSS growth of the receiving gunicorn worker {growth:.1f} MB"
            )
    finally:
        for proc in processes:
            proc.stop()
        smtp.stop()
        redis.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
