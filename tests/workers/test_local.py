"""The embedded default's job runner: a worker thread in the app process. The request returns
before its jobs run; failed jobs are tried again; a killed process loses nothing; several
runners at once send one notice."""

from __future__ import annotations

import http.client
import io
import json
import shutil
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app, db
from app.notifications import Notification
from filings.models import Filing, FilingStatus
from filings.tokens import create_token
from tests.conftest import make_env
from tests.faults.conftest import SmtpServer
from tests.helpers import api_post, create_attorney, multipart
from tests.pdfs import pdf_bytes, slow_to_check_pdf
from tests.services import BIN, Process, app_process_env, free_port, port_open, wait_until
from workers import local
from workers.outbox import OutboxJob
from workers.queues import RETRY_INTERVALS


def thread_env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The default runner, with room for a realistic document."""
    env = make_env(
        tmp_path, database_url, ESERVICE_MAX_DOCUMENT_MB="25", ESERVICE_MAX_FILING_MB="30", **extra
    )
    env.pop("ESERVICE_JOB_RUNNER")
    return env


@pytest.fixture
def make_app(tmp_path: Path, database_url: str) -> Iterator[Any]:
    """Apps on one database with the default runner; their job threads end with the test."""
    made: list[Flask] = []

    def make(**extra: str) -> Flask:
        application = create_app(env=thread_env(tmp_path, database_url, **extra))
        assert application.config["ESERVICE"].job_runner == "thread"
        if not made:
            with application.app_context():
                from app.offices import seed_offices

                seed_offices()
                db.session.commit()
        made.append(application)
        return application

    yield make
    for application in made:
        local.stop(application)
        application.extensions["eservice.engine"].dispose()
    db.session.remove()


def token_for(app: Flask, email: str = "lawyer@firm.example") -> str:
    with app.app_context():
        return create_token(create_attorney(email), "local")


def status_of(app: Flask, filing_id: str) -> FilingStatus:
    with app.app_context():
        filing = db.session.get(Filing, filing_id)
        assert filing is not None
        return filing.status


def test_the_acknowledgement_returns_before_the_check_and_the_filing_is_then_served(make_app):
    app = make_app()
    token = token_for(app)
    started = time.monotonic()
    response = api_post(app.test_client(), token, [(slow_to_check_pdf(60_000), "exhibit.pdf")])
    acknowledged = time.monotonic() - started
    assert response.status_code == 201
    filing_id = response.get_json()["id"]
    assert response.get_json()["status"] == "received"
    assert status_of(app, filing_id) == FilingStatus.RECEIVED  # the check has not run yet

    # Served with no further request: the job thread ran the check, then the notice.
    wait_until(lambda: status_of(app, filing_id) == FilingStatus.SERVED, 60, "the check")
    served = time.monotonic() - started
    folder = app.config["ESERVICE"].outbox_dir
    wait_until(lambda: list(folder.glob("*.eml")), 10, "the notice of service")
    assert served > acknowledged

    def pending_jobs() -> int:
        with app.app_context():
            return len(
                db.session.scalars(select(OutboxJob).where(OutboxJob.dispatched_at.is_(None))).all()
            )

    # The notice is written before its row is marked done: give the thread that moment.
    wait_until(lambda: pending_jobs() == 0, 10, "every job marked done")


def test_the_inline_runner_has_run_the_check_when_the_request_returns(app, api_token):
    assert app.config["ESERVICE"].job_runner == "inline"
    response = api_post(app.test_client(), api_token, [(pdf_bytes(), "a.pdf")])
    assert status_of(app, response.get_json()["id"]) == FilingStatus.SERVED


def test_a_job_that_fails_is_tried_again_later_and_ends_done(make_app):
    smtp = SmtpServer()  # not started yet: the notice cannot be sent
    app = make_app(ESERVICE_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}")
    response = api_post(app.test_client(), token_for(app), [(pdf_bytes(), "a.pdf")])
    filing_id = response.get_json()["id"]

    def failed_delivery() -> OutboxJob | None:
        with app.app_context():
            return db.session.scalar(
                select(OutboxJob).where(
                    OutboxJob.func == "app.notifications.deliver", OutboxJob.last_error.is_not(None)
                )
            )

    job = wait_until(failed_delivery, 30, "a failed delivery")
    assert job.dispatched_at is None and job.attempts == 1
    assert "Connection refused" in job.last_error or "ConnectionRefused" in job.last_error
    assert status_of(app, filing_id) == FilingStatus.SERVED
    smtp.start()
    try:

        def delivered() -> OutboxJob | None:
            with app.app_context():
                row = db.session.get(OutboxJob, job.id)
                return row if row and row.dispatched_at else None

        done = wait_until(delivered, RETRY_INTERVALS[0] + 20, "the retry")
        assert done.attempts == 2
        with app.app_context():
            note = db.session.scalar(select(Notification))
            assert note is not None and note.sent_at is not None
        assert len(smtp.messages) == 1
    finally:
        smtp.stop()


def test_runners_at_once_send_one_notice(make_app):
    smtp = SmtpServer()
    first = make_app(ESERVICE_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}")
    api_post(first.test_client(), token_for(first), [(pdf_bytes(), "a.pdf")])
    with first.app_context():
        wait_until(
            lambda: db.session.scalar(select(OutboxJob).where(OutboxJob.last_error.is_not(None))),
            30,
            "a failed delivery",
        )
    local.stop(first)  # its retry would race the others; the row stays pending
    smtp.start()
    try:
        # Two more processes' job threads take up the pending row when they start, while a
        # `jobs run-pending` runs too.
        others = [make_app(ESERVICE_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}") for _ in range(2)]
        for other in others:
            local.running(other)
        result = first.test_cli_runner().invoke(args=["jobs", "run-pending"])
        assert result.exit_code == 0, result.output
        with first.app_context():
            wait_until(
                lambda: db.session.scalar(select(Notification.sent_at)) is not None,
                30,
                "the notice sent",
            )
            for other in others:
                local.stop(other)
            assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
        assert len(smtp.messages) == 1
    finally:
        smtp.stop()


def _serve(env: dict[str, str], log: Path, port: int, *extra: str) -> Process:
    proc = Process(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            *extra,
            "wsgi:app",
        ],
        env,
        log,
    )
    wait_until(lambda: port_open(port), 30, "gunicorn")
    return proc


def _request(port: int, method: str, path: str, token: str, body: Any = None) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = body["content_type"]
        body = body["data"]
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = json.loads(response.read())
    conn.close()
    assert response.status in {200, 201}, payload
    return payload


def test_a_process_killed_mid_check_leaves_the_filing_received_and_a_restart_finishes_it(
    make_app, tmp_path
):
    app = make_app()  # seeds the database; the servers below are other processes
    token = token_for(app)
    env = app_process_env(thread_env(tmp_path, app.config["ESERVICE"].database_url))
    port = free_port()
    server = _serve(env, tmp_path / "first.log", port)
    try:
        form = multipart(
            {
                "office": "ATL",
                "a_number": "A012345678",
                "document_type": "motion",
                "title": "Exhibit",
                "files": [(io.BytesIO(slow_to_check_pdf(200_000)), "exhibit.pdf")],
            }
        )
        ack = _request(port, "POST", "/api/v1/filings", token, form)
        assert ack["status"] == "received"

        def running_check() -> bool:  # the job thread has claimed the row and started
            with app.app_context():
                return bool(db.session.scalar(select(OutboxJob.attempts)))

        wait_until(running_check, 30, "the check to start")
        server.signal(signal.SIGKILL)  # the server, its job thread and the checker child
        server.popen.wait(10)
    finally:
        server.stop()
    assert status_of(app, ack["id"]) == FilingStatus.RECEIVED
    with app.app_context():
        assert db.session.scalar(select(OutboxJob.dispatched_at)) is None

    # Two servers restart at once (one forked from a preloaded app); each job thread starts
    # with its first request and takes up the pending check.
    ports = [free_port(), free_port()]
    servers = [
        _serve(env, tmp_path / "second.log", ports[0]),
        _serve(env, tmp_path / "third.log", ports[1], "--preload"),
    ]
    try:
        for each in ports:
            assert _request(each, "GET", f"/api/v1/filings/{ack['id']}", token)["id"] == ack["id"]
        wait_until(lambda: status_of(app, ack["id"]) == FilingStatus.SERVED, 90, "the restart")
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
            wait_until(
                lambda: db.session.scalar(select(Notification.sent_at)) is not None, 30, "notice"
            )
        assert len(list(app.config["ESERVICE"].outbox_dir.glob("*.eml"))) == 1
    finally:
        for each_server in servers:
            each_server.stop()


def test_sqlite_takes_concurrent_filings_while_checks_run(tmp_path, sqlite_template):
    """Requests and job threads of two server processes write one SQLite file at once."""
    database = tmp_path / "eservice.db"
    shutil.copy(sqlite_template, database)
    env = thread_env(tmp_path, f"sqlite:///{database}")
    app = create_app(env={**env, "ESERVICE_JOB_RUNNER": "inline"})
    with app.app_context():
        from app.offices import seed_offices

        seed_offices()
        db.session.commit()
    token = token_for(app)
    port = free_port()
    server = _serve(app_process_env(env), tmp_path / "server.log", port, "--threads", "4")
    try:

        def file_one(i: int) -> str:
            content = slow_to_check_pdf(20_000 + i) if i % 2 else pdf_bytes(title=str(i))
            form = multipart(
                {
                    "office": "ATL",
                    "a_number": "A012345678",
                    "document_type": "motion",
                    "title": f"Motion {i}",
                    "files": [(io.BytesIO(content), f"m{i}.pdf")],
                }
            )
            return str(_request(port, "POST", "/api/v1/filings", token, form)["id"])

        with ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(file_one, range(16)))

        def all_served() -> bool:
            return all(status_of(app, each) == FilingStatus.SERVED for each in ids)

        wait_until(all_served, 180, "every filing served", interval=1)
        with app.app_context():
            failed = db.session.scalars(
                select(OutboxJob.last_error).where(OutboxJob.last_error.is_not(None))
            ).all()
            assert failed == []
        assert "database is locked" not in server.output()
    finally:
        server.stop()
    app.extensions["eservice.engine"].dispose()
