"""Hand outbox jobs to RQ; the worker side runs them inside the application context."""

from __future__ import annotations

import logging
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

log = logging.getLogger(__name__)

_connections: dict[str, Redis] = {}


def connection(url: str) -> Redis:
    if url not in _connections:
        _connections[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return _connections[url]


def send_to_rq(job: Any, redis_url: str) -> bool:
    """Enqueue one outbox row; False (row stays pending) when Redis cannot take it."""
    try:
        Queue(job.queue, connection=connection(redis_url)).enqueue(
            "workers.rq_runner.execute",
            job.func,
            list(job.args),
            job_id=f"outbox-{job.id}",  # the same row never becomes two RQ jobs
            retry=Retry(max=5, interval=[10, 30, 60, 300, 900]),
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except RedisError:
        log.warning("Redis unavailable; outbox job %s stays pending", job.id)
        return False
    return True


def execute(func: str, args: list[Any]) -> None:
    """Run inside an ``rq worker``: build the app once per process and call the job."""
    from app import create_app
    from workers.outbox import resolve

    global _app
    if _app is None:
        _app = create_app()
    with _app.app_context():
        resolve(func)(*args)


_app: Any = None
