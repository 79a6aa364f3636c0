"""Benchmark (on demand): the production stack on this machine, deployed as the README says —
gunicorn (2 workers of 4 threads), PostgreSQL, Redis with 2 RQ workers, S3 (SeaweedFS), SMTP —
measured in one run:

- acknowledgement latency of a PDF just under 25 MB, against a bare endpoint behind gunicorn
  that only streams the same request to disk with SHA-256 (the floor);
- filings acknowledged per second for one-page PDFs, with 1 and with 16 clients, the CPU each
  part of the stack spent per filing meanwhile (and until the checks were done), and how long
  the checks took to catch up;
- peak memory growth of the gunicorn worker that receives a 100 MB request.

    .venv/bin/python -m tests.benchmarks.bench_service [--runs 7] [--storage s3|local]
        [--threads 4] [--rq-workers 2] [--rq-nice 0] [--skip-large] [--skip-small]
        [--profile DIR [--profile-idle]]

With ``--profile DIR``, py-spy (``pip install py-spy``) samples the gunicorn workers in every
phase, and the RQ workers with their work horses and checker children in the one-page phases,
into ``DIR/<phase>-<process>.txt`` (collapsed stacks; ``--profile-idle`` samples waiting threads
too, for wall time). ``python -m tests.benchmarks.profile_summary FILE --within handle_request``
summarises one.
"""

from __future__ import annotations

import argparse
import http.client
import io
import logging
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
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


def start_rq_worker(env: dict[str, str], log: Path, name: str, niceness: int) -> Process:
    command = [str(BIN / "flask"), "--app", "wsgi", "worker", "--name", name]
    return Process(["nice", "-n", str(niceness), *command] if niceness else command, env, log)


def start_web(env: dict[str, str], log: Path, port: int, threads: int) -> Process:
    """gunicorn as the README deploys it: a worker per core (2 here), threads in each."""
    proc = Process(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2"]
        + ["--threads", str(threads), "--timeout", "120", "wsgi:app"],
        env,
        log,
    )
    wait_until(lambda: port_open(port), 30, "gunicorn")
    return proc


_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    return raw[raw.rindex(")") + 2 :].split()  # the fields after the command name


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its reaped children and its live descendants."""
    try:
        fields = _stat(pid)
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    own = sum(int(x) for x in fields[11:15]) / _TICK  # utime, stime, cutime, cstime
    return own + sum(tree_cpu(int(c)) for c in children)


def cpu_by_part(parts: dict[str, list[int]], marks: dict[str, str]) -> dict[str, float]:
    """CPU seconds by part of the stack: process trees by pid, other processes by a mark in
    their command line (this run's database name, port or folder)."""
    used = {name: sum(tree_cpu(pid) for pid in pids) for name, pids in parts.items()}
    for name in marks:
        used[name] = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = _stat(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
        for name, mark in marks.items():
            if mark in cmdline:
                used[name] += sum(int(x) for x in fields[11:13]) / _TICK
    return used


class Profiler:
    """py-spy sampling the given processes and their children into collapsed-stack files."""

    def __init__(self, folder: Path | None, idle: bool) -> None:
        self.folder, self.idle = folder, idle
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, phase: str, pids: dict[str, int]) -> None:
        if self.folder is None:
            return
        spy = shutil.which("py-spy") or str(BIN / "py-spy")
        for name, pid in pids.items():
            out = self.folder / f"{phase}-{name}.txt"
            self.procs.append(
                subprocess.Popen(
                    [spy, "record", "--pid", str(pid), "--subprocesses"]
                    + (["--idle"] if self.idle else [])
                    + ["--format", "raw", "--rate", "200", "--output", str(out)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        time.sleep(1.5)  # py-spy attaches

    def stop(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        for proc in self.procs:
            proc.wait(30)
        self.procs = []


def one_page_rate(port: int, token: str, clients: int, each: int) -> float:
    forms = [[filing_form([(pdf_bytes(), "one.pdf")]) for _ in range(each)] for _ in range(clients)]
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        statuses = [
            s
            for batch in pool.map(
                lambda fs: [post(port, "/api/v1/filings", f, token)[1] for f in fs], forms
            )
            for s in batch
        ]
    rate = len(statuses) / (time.perf_counter() - start)
    assert set(statuses) == {201}, statuses
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--storage",
        choices=["s3", "local"],
        default="s3",
        help="where the full stack stores documents",
    )
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--rq-workers", type=int, default=2)
    parser.add_argument("--rq-nice", type=int, default=0, help="niceness of the RQ workers")
    parser.add_argument("--profile", type=Path, help="sample the one-page phases with py-spy")
    parser.add_argument(
        "--profile-idle", action="store_true", help="sample waiting threads too (wall time)"
    )
    parser.add_argument("--skip-large", action="store_true", help="no 25 and 100 MB requests")
    parser.add_argument("--skip-small", action="store_true", help="no one-page phases")
    args = parser.parse_args()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP sink's chatter
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    profiler = Profiler(args.profile, args.profile_idle)
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
            storage_url = (
                f"s3://{s3['bucket']}/bench"
                if args.storage == "s3"
                else f"file://{work / 'documents'}"
            )
            settings = {
                "ESERVICE_ENV": "production",
                "ESERVICE_SECRET_KEY": uuid.uuid4().hex * 2,
                "ESERVICE_DATA_DIR": str(work / "instance"),
                "ESERVICE_DATABASE_URL": db_url,
                "ESERVICE_REDIS_URL": redis.url,
                "ESERVICE_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
                "ESERVICE_STORAGE_URL": storage_url,
                "ESERVICE_BASE_URL": "https://eservice.example.gov",
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
            gunicorn = start_web(env, work / "gunicorn.log", full_port, args.threads)
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
            workers = [
                start_rq_worker(env, work / f"worker{n}.log", f"bench{n}", args.rq_nice)
                for n in range(args.rq_workers)
            ]
            processes += workers

            def settle() -> None:
                """Wait for the checks of what was filed (none run without RQ workers)."""
                if workers:
                    wait_until(lambda: pending_checks(db_url) == 0, 300, "checks to finish")

            marks = {
                "postgres": f": postgres {name} ",
                "s3": str(work / "s3"),
                "redis": f"redis-server 127.0.0.1:{redis.port}",
            }
            print(
                f"stack: gunicorn 2 workers x {args.threads} threads, "
                f"{args.rq_workers} RQ workers (nice {args.rq_nice}), documents in {args.storage}"
            )

            post(full_port, "/api/v1/filings", filing_form([(pdf_bytes(), "warm.pdf")]), token)
            if not args.skip_large:
                profiler.start("large", {"gunicorn": gunicorn.pid})
                try:
                    large_acknowledgement(args.runs, full_port, bare_port, token, settle)
                finally:
                    profiler.stop()

            for clients, each in () if args.skip_small else ((1, 40), (16, 10)):
                settle()
                profiler.start(
                    f"{clients}clients",
                    {"gunicorn": gunicorn.pid} | {f"rq{n}": w.pid for n, w in enumerate(workers)},
                )
                parts = {"gunicorn": [gunicorn.pid], "rq": [w.pid for w in workers]}
                cpu_before = cpu_by_part(parts, marks)
                try:
                    rate = one_page_rate(full_port, token, clients, each)
                finally:
                    profiler.stop()
                cpu_rq_busy = cpu_by_part(parts, marks)
                drained = time.perf_counter()
                settle()
                drained = time.perf_counter() - drained
                cpu_after = cpu_by_part(parts, marks)
                print(
                    f"one-page filings acknowledged, {clients:>2} clients: {rate:.1f}/s "
                    f"(checks of all {clients * each} done {drained:.1f} s after the last)"
                )
                print(
                    "  CPU ms per filing while acknowledging (checks finished afterwards): "
                    + ", ".join(
                        f"{k} {(cpu_rq_busy[k] - cpu_before[k]) * 1000 / (clients * each):.0f}"
                        f" ({(cpu_after[k] - cpu_before[k]) * 1000 / (clients * each):.0f})"
                        for k in cpu_before
                    )
                )

            if not args.skip_large:
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
        profiler.stop()
        for proc in processes:
            proc.stop()
        smtp.stop()
        redis.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def large_acknowledgement(
    runs: int, full_port: int, bare_port: int, token: str, settle: Callable[[], None]
) -> None:
    full, bare = [], []
    for _ in range(runs):
        form = filing_form([(big_pdf(24.9), "big.pdf")])
        # Each timing on a quiet machine: the workers' check of the previous filing
        # (a full parse of 25 MB) would otherwise share the two cores with it.
        settle()
        elapsed, status = post(full_port, "/api/v1/filings", form, token)
        assert status == 201, status
        full.append(elapsed)
        settle()
        elapsed, status = post(bare_port, "/upload", form)
        assert status == 201, status
        bare.append(elapsed)
    full_ms, bare_ms = statistics.median(full) * 1000, statistics.median(bare) * 1000
    print(f"acknowledgement, {len(form['data']) / 2**20:.1f} MB request, median of {runs}:")
    print(
        f"  full stack {full_ms:.0f} ms, bare endpoint {bare_ms:.0f} ms, "
        f"ratio {full_ms / bare_ms:.2f}x"
    )


if __name__ == "__main__":
    main()
