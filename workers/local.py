"""The embedded default's job runner: one worker thread in each app process.

Jobs queued by a web request are handed to the thread after the commit, so the response never
waits for them; the thread runs each in an app context of its own. As with RQ, a row is marked
dispatched only when its job ran to the end, and a job that raises stays pending and is tried
again after a back-off. Nothing lives only in memory: the thread takes up the rows left pending
(a crash, a restart) when it starts and, those of other processes, periodically; and it runs
the periodic sweeps, since there is no scheduler process on the embedded default.

The thread starts with the first request a process serves, and again in a forked child
(gunicorn, ``--preload`` included) or if it ever died.
"""

from __future__ import annotations

import heapq
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from app import db
from workers import outbox
from workers.queues import RETRY_INTERVALS

log = logging.getLogger(__name__)

_EXTENSION = "eservice.local_worker"
_here = threading.local()  # .worker is set in the job thread itself

# How often the thread looks for pending rows and runs the sweeps that are due.
TICK_SECONDS = 10.0
# A pending row nobody here is running is taken over this long after it was written (plus the
# back-off of the runs it had): until then its own process may still be running it, and a deep
# check may take two minutes. At start every pending row is taken at once.
TAKE_OVER_SECONDS = 300
# Runs of one row before it is given up (the domain sweeps queue the work again).
MAX_RUNS = 1 + len(RETRY_INTERVALS)

Schedule = Sequence[tuple[str, str, int]]


class LocalWorker:
    """A job thread for one app in one process."""

    def __init__(self, app: Flask, schedule: Schedule) -> None:
        self.app, self.schedule = app, schedule
        self.pid = os.getpid()
        self._inbox: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self._retries: list[tuple[float, int]] = []  # heap of (monotonic due time, job id)
        self._taken: set[int] = set()  # ids waiting in _retries or taken up by a tick
        self._last_sweep: dict[str, float] = {}
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="eservice-jobs", daemon=True)
        self._thread.start()

    def alive(self) -> bool:
        return self.pid == os.getpid() and self._thread is not None and self._thread.is_alive()

    def submit(self, job_ids: Sequence[int]) -> None:
        for job_id in job_ids:
            self._inbox.put(job_id)

    def stop(self, timeout: float = 30) -> None:
        """Finish what was handed over, then end the thread."""
        if self.alive():
            self._inbox.put(None)
            assert self._thread is not None
            self._thread.join(timeout)

    def _loop(self) -> None:
        _here.worker = self
        next_tick, first = 0.0, True
        while True:
            now = time.monotonic()
            if now >= next_tick:
                self._guard(self._tick, first)
                first, next_tick = False, time.monotonic() + TICK_SECONDS
            while self._retries and self._retries[0][0] <= time.monotonic():
                self._guard(self._run, heapq.heappop(self._retries)[1])
            wake = min([next_tick] + [due for due, _ in self._retries[:1]])
            try:
                job_id = self._inbox.get(timeout=max(wake - time.monotonic(), 0.01))
            except queue.Empty:
                continue
            if job_id is None:
                return
            self._guard(self._run, job_id)

    def _guard(self, step: Callable[..., None], *args: Any) -> None:
        # A database outage must not end the thread: log it, the next tick tries again.
        try:
            step(*args)
        except Exception:
            log.exception("job thread: %s failed", step.__name__)

    def _run(self, job_id: int) -> None:
        self._taken.discard(job_id)
        with self.app.app_context():
            if outbox.dispatch(job_id):
                return
            job = db.session.get(outbox.OutboxJob, job_id)
            if job is None or job.dispatched_at is not None or not job.last_error:
                return  # done, or another runner has it
            if job.attempts < MAX_RUNS:
                delay = RETRY_INTERVALS[max(job.attempts, 1) - 1]
                heapq.heappush(self._retries, (time.monotonic() + delay, job_id))
                self._taken.add(job_id)
            else:
                log.error("job %s (outbox %s) given up after %d runs", job.func, job_id, MAX_RUNS)

    def _tick(self, first: bool) -> None:
        with self.app.app_context():
            rows = db.session.execute(
                select(outbox.OutboxJob.id, outbox.OutboxJob.created_at, outbox.OutboxJob.attempts)
                .where(outbox.OutboxJob.dispatched_at.is_(None))
                .order_by(outbox.OutboxJob.id)
                .limit(500)
            ).all()
            db.session.rollback()  # end the read, so the writers are not held back
        now = db.utcnow()
        for job_id, created_at, attempts in rows:
            if job_id in self._taken or attempts >= MAX_RUNS:
                continue
            waited = TAKE_OVER_SECONDS + sum(RETRY_INTERVALS[:attempts])
            if first or created_at + timedelta(seconds=waited) <= now:
                self._taken.add(job_id)
                self._inbox.put(job_id)
        for func, _queue, every in self.schedule:
            if time.monotonic() - self._last_sweep.get(func, float("-inf")) >= every:
                self._last_sweep[func] = time.monotonic()
                with self.app.app_context():
                    outbox.resolve(func)()


_lock = threading.Lock()


def _after_fork() -> None:
    global _lock
    _lock = threading.Lock()  # the parent's may have been held by a thread the child lacks


os.register_at_fork(after_in_child=_after_fork)


def init_app(app: Flask, schedule: Schedule) -> None:
    """Run ``app``'s jobs in a thread, started by the first request each process serves."""
    app.extensions[_EXTENSION] = LocalWorker(app, schedule)

    @app.before_request
    def _start_jobs() -> None:
        running(app)


def running(app: Flask) -> LocalWorker:
    """This process's worker for ``app``, started if it is not running here yet."""
    worker: LocalWorker = app.extensions[_EXTENSION]
    if worker.alive():
        return worker
    with _lock:
        worker = app.extensions[_EXTENSION]
        if not worker.alive():
            worker = app.extensions[_EXTENSION] = LocalWorker(app, worker.schedule)
            worker.start()
        return worker


def submit(app: Flask, job_ids: Sequence[int]) -> None:
    """Hand committed outbox rows to the worker thread; they run after the response."""
    worker: LocalWorker | None = getattr(_here, "worker", None)
    (worker if worker is not None else running(app)).submit(job_ids)


def in_job_thread() -> bool:
    """Whether this is a job thread (jobs queued here go back to its queue, with its retries)."""
    return getattr(_here, "worker", None) is not None


def stop(app: Flask, timeout: float = 30) -> None:
    """Finish the jobs handed over so far and end the thread (tests, orderly shutdown)."""
    worker = app.extensions.get(_EXTENSION)
    if worker is not None:
        worker.stop(timeout)
