"""RQ: hand outbox jobs to Redis, and run them in ``rq worker`` processes inside the app."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, Worker, get_current_job
from rq.job import Job

from workers.queues import JOB_TIMEOUTS, RETRY_INTERVALS

log = logging.getLogger(__name__)

RETRY = Retry(max=len(RETRY_INTERVALS), interval=list(RETRY_INTERVALS))

_connections: dict[str, Redis] = {}
_app: Flask | None = None
_app_pid: int | None = None


def connection(url: str) -> Redis:
    if url not in _connections:
        _connections[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    return _connections[url]


def send_to_rq(job: Any, redis_url: str, relaying: bool = False) -> bool:
    """Enqueue one outbox row; False (row stays pending) when Redis cannot take it. The row is
    marked dispatched by the job itself as it starts (``execute``), so the request that queued
    it waits for no second database write; ``relaying`` a row that stayed pending first asks
    Redis whether its job is already there (waiting in a queue, running, or done)."""
    job_id = f"outbox-{job.id}"  # the same row never becomes two RQ jobs
    try:
        redis = connection(redis_url)
        if relaying and Job.exists(job_id, connection=redis):
            return False
        Queue(job.queue, connection=redis).enqueue(
            "workers.rq_runner.execute",
            job.func,
            list(job.args),
            job_id=job_id,
            retry=RETRY,
            job_timeout=JOB_TIMEOUTS[job.queue],
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            description=job.func,
        )
    except RedisError:
        log.warning("Redis unavailable; outbox job %s stays pending", job.id)
        return False
    return True


def enqueue_direct(redis_url: str, queue: str, func: str, args: Sequence[Any] = ()) -> bool:
    """Enqueue an idempotent periodic job straight to RQ (no outbox: the next tick retries)."""
    try:
        Queue(queue, connection=connection(redis_url)).enqueue(
            "workers.rq_runner.execute",
            func,
            list(args),
            retry=RETRY,
            job_timeout=JOB_TIMEOUTS[queue],
            result_ttl=600,
            description=func,
        )
    except RedisError:
        log.warning("Redis unavailable; periodic job %s skipped this time", func)
        return False
    return True


def use_app(app: Flask) -> None:
    """Run jobs of this process in ``app`` (the ``flask worker`` command sets it up front)."""
    global _app, _app_pid
    _app, _app_pid = app, os.getpid()


def execute(func: str, args: list[Any]) -> None:
    """The RQ job: run ``func(*args)`` inside the application context."""
    from workers.outbox import mark_dispatched, resolve

    global _app_pid
    if _app is None:  # a plain `rq worker`: build the app from the ESERVICE_* environment
        from app import create_app

        use_app(create_app())
    assert _app is not None
    if _app_pid != os.getpid():
        # A forked work horse must not share the parent's database connections.
        _app.extensions["eservice.engine"].dispose(close=False)
        _app_pid = os.getpid()
    with _app.app_context():
        current = get_current_job()
        if current is not None and current.id.startswith("outbox-"):
            mark_dispatched(int(current.id.removeprefix("outbox-")))
        resolve(func)(*args)


def run_worker(
    app: Flask, queues: Sequence[str], burst: bool = False, name: str | None = None
) -> bool:
    """Work the queues in this process (forking a work horse per job), RQ's scheduler included
    so that retries with back-off happen."""
    settings = app.config["ESERVICE"]
    use_app(app)
    worker = Worker(list(queues), connection=connection(settings.redis_url), name=name)
    return worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
