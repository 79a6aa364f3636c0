"""With ESERVICE_REDIS_URL set, jobs leave through the outbox for RQ and a worker runs them
(real Redis on 127.0.0.1; the worker runs in this process, in burst mode)."""

from __future__ import annotations

import os
import socket

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app import create_app, db
from app.notifications import Notification
from filings.models import Filing, FilingStatus
from filings.tokens import create_token
from tests.conftest import IN_CI, make_env
from tests.helpers import api_post, create_attorney
from tests.pdfs import pdf_bytes
from workers import outbox, rq_runner
from workers.queues import ALL

REDIS_URL = os.environ.get("ESERVICE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_conn():
    conn = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        conn.ping()
    except Exception as exc:
        message = f"Redis not reachable at {REDIS_URL} ({exc}); start redis-server"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    conn.flushdb()
    yield conn
    conn.flushdb()
    conn.close()


@pytest.fixture
def rq_app(tmp_path, database_url, monkeypatch):
    """An app whose settings are in the environment, as an ``rq worker`` process would read."""

    def make(redis_url: str):
        for key, value in make_env(tmp_path, database_url, ESERVICE_REDIS_URL=redis_url).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(rq_runner, "_app", None)
        application = create_app()
        with application.app_context():
            from app.offices import seed_offices

            seed_offices()
            db.session.commit()
            token = create_token(create_attorney(), "rq")
        return application, token

    made: list = []

    def make_and_keep(redis_url: str):
        made.append(make(redis_url))
        return made[-1]

    yield make_and_keep
    db.session.remove()
    # The worker side built an app (and engine) of its own; close both, as a worker would.
    for application in [m[0] for m in made] + ([rq_runner._app] if rq_runner._app else []):
        application.extensions["eservice.engine"].dispose()


def test_check_and_notice_run_in_an_rq_worker(rq_app, redis_conn):
    app, token = rq_app(REDIS_URL)
    response = api_post(app.test_client(), token, [(pdf_bytes(), "a.pdf")])
    assert response.status_code == 201
    ack = response.get_json()
    assert ack["status"] == "received"  # acknowledged; the check waits for a worker
    checks = Queue("checks", connection=redis_conn)
    assert len(checks) == 1 and checks.job_ids[0].startswith("outbox-")

    SimpleWorker([Queue(q, connection=redis_conn) for q in ALL], connection=redis_conn).work(
        burst=True
    )
    with app.app_context():
        db.session.expire_all()
        assert db.session.get(Filing, ack["id"]).status == FilingStatus.SERVED
        note = db.session.scalar(select(Notification))
        assert note.kind == "filing_served" and note.sent_at is not None
        assert (
            db.session.scalar(
                select(outbox.OutboxJob).where(outbox.OutboxJob.dispatched_at.is_(None))
            )
            is None
        )


def test_redis_down_at_filing_time_loses_nothing(rq_app, redis_conn):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{sock.getsockname()[1]}/14"
    app, token = rq_app(dead)
    response = api_post(app.test_client(), token, [(pdf_bytes(), "a.pdf")])
    assert response.status_code == 201  # the filing is acknowledged all the same
    with app.app_context():
        [pending] = db.session.scalars(select(outbox.OutboxJob)).all()
        assert pending.dispatched_at is None and pending.func == "filings.jobs.check_filing"


def test_a_row_is_marked_by_its_job_and_the_relay_never_doubles_it(rq_app, redis_conn):
    app, token = rq_app(REDIS_URL)
    filing_id = api_post(app.test_client(), token, [(pdf_bytes(), "a.pdf")]).get_json()["id"]
    checks = Queue("checks", connection=redis_conn)
    with app.app_context():
        [row] = db.session.scalars(select(outbox.OutboxJob)).all()
        # Handed to Redis; the request wrote nothing more: the job marks its row as it starts.
        assert row.dispatched_at is None
        assert outbox.run_pending() == 0  # the relay finds its job already in Redis
    assert checks.job_ids == [f"outbox-{row.id}"]
    SimpleWorker([Queue(q, connection=redis_conn) for q in ALL], connection=redis_conn).work(
        burst=True
    )
    with app.app_context():
        db.session.expire_all()
        assert db.session.get(outbox.OutboxJob, row.id).dispatched_at is not None
        assert db.session.get(Filing, filing_id).status == FilingStatus.SERVED
        assert db.session.scalar(select(Notification)).sent_at is not None
    assert len(checks) == 0


def test_jobs_redis_lost_before_a_worker_started_them_are_sent_again(rq_app, redis_conn):
    app, token = rq_app(REDIS_URL)
    filing_id = api_post(app.test_client(), token, [(pdf_bytes(), "a.pdf")]).get_json()["id"]
    redis_conn.flushdb()  # a Redis restarted without persistence: the queued job is gone
    with app.app_context():
        assert outbox.run_pending() == 1
    SimpleWorker([Queue(q, connection=redis_conn) for q in ALL], connection=redis_conn).work(
        burst=True
    )
    with app.app_context():
        db.session.expire_all()
        assert db.session.get(Filing, filing_id).status == FilingStatus.SERVED
