"""The scheduler process: relays outbox rows that were not handed on (Redis was down at commit
time) and enqueues periodic jobs when due. Running two of them does no harm: every job is
idempotent, and the relay marks a row dispatched by a conditional update."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from flask import Flask

from workers import outbox
from workers.rq_runner import enqueue_direct

log = logging.getLogger(__name__)


def tick(
    app: Flask, schedule: Sequence[tuple[str, str, int]], last_run: dict[str, float], now: float
) -> list[str]:
    """One pass: relay pending outbox rows, enqueue what is due; return the jobs enqueued."""
    settings = app.config["ESERVICE"]
    with app.app_context():
        relayed = outbox.run_pending()
    if relayed:
        log.info("relayed %d pending outbox jobs", relayed)
    enqueued = []
    for func, queue, every in schedule:
        if now - last_run.get(func, 0.0) < every:
            continue
        if not settings.redis_url:
            with app.app_context():
                outbox.resolve(func)()
            last_run[func] = now
            enqueued.append(func)
        elif enqueue_direct(settings.redis_url, queue, func):
            last_run[func] = now
            enqueued.append(func)
    return enqueued


def run(
    app: Flask, schedule: Sequence[tuple[str, str, int]], interval: float, once: bool = False
) -> None:
    last_run: dict[str, float] = {}
    while True:
        try:
            tick(app, schedule, last_run, time.time())
        except Exception:  # a database or Redis outage: log, wait, try again
            log.exception("scheduler tick failed")
        if once:
            return
        time.sleep(interval)
