"""The transactional outbox: ``enqueue`` writes a row, ``commit`` commits and sends the rows on:
to RQ, to this process's worker thread (jobs queued by a web request on the embedded default),
or run in place (``inline``, and whatever is queued outside a request: CLI commands, jobs)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context
from sqlalchemy import JSON, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app import db
from workers.queues import ALL

log = logging.getLogger(__name__)

_PENDING_KEY = "eservice.outbox"


class OutboxJob(db.Base):
    __tablename__ = "outbox_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    func: Mapped[str] = mapped_column(String(200))  # dotted path, e.g. filings.jobs.check_filing
    args: Mapped[list[Any]] = mapped_column(JSON)
    queue: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(db.UTCDateTime, default=db.utcnow)
    # Set once the job has been handed on (run here: run to the end; RQ: started by a worker).
    dispatched_at: Mapped[datetime | None] = mapped_column(db.UTCDateTime, index=True)
    # Runs started in this process or another (a run claims the row by raising it by one).
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


def enqueue(func: str, *args: int | str, queue: str) -> OutboxJob:
    """Queue ``func(*args)`` in the current transaction. Arguments are ids, never objects."""
    if queue not in ALL:
        raise ValueError(f"unknown queue {queue!r}")
    resolve(func)  # fail now, in the caller, on a typo
    job = OutboxJob(func=func, args=list(args), queue=queue)
    db.session.add(job)
    db.session.info.setdefault(_PENDING_KEY, []).append(job)
    return job


def commit() -> None:
    """Commit the current transaction, then send on the jobs it queued."""
    db.session.commit()
    ids = [job.id for job in db.session.info.pop(_PENDING_KEY, [])]
    if not ids:
        return
    from workers import local

    # A request never waits for a job; a job's own jobs queue behind it. Elsewhere (CLI
    # commands, scripts) nobody waits for a reply, and a thread could die with the process.
    if current_app.config["ESERVICE"].job_runner == "thread" and (
        has_request_context() or local.in_job_thread()
    ):
        local.submit(current_app._get_current_object(), ids)  # type: ignore[attr-defined]
        return
    for job_id in ids:
        dispatch(job_id)


def rollback() -> None:
    db.session.rollback()
    db.session.info.pop(_PENDING_KEY, None)


def run_pending(limit: int = 500) -> int:
    """Send on jobs left undispatched (a crash, an outage); return how many were sent."""
    ids = list(
        db.session.scalars(
            select(OutboxJob.id)
            .where(OutboxJob.dispatched_at.is_(None))
            .order_by(OutboxJob.id)
            .limit(limit)
        )
    )
    db.session.commit()
    return sum(1 for job_id in ids if dispatch(job_id, relaying=True))


def resolve(func: str) -> Callable[..., Any]:
    module_name, _, attr = func.rpartition(".")
    if module_name.split(".")[0] not in {"filings", "registration", "app", "workers"}:
        raise ValueError(f"job {func!r} is outside the application")
    return getattr(importlib.import_module(module_name), attr)


def dispatch(job_id: int, relaying: bool = False) -> bool:
    """Send one pending job to RQ, or run it here; True once it is handed on or done."""
    job = db.session.get(OutboxJob, job_id)
    if job is None or job.dispatched_at is not None:
        return False
    settings = current_app.config["ESERVICE"]
    if settings.job_runner == "rq":
        from workers.rq_runner import send_to_rq  # only with Redis configured

        # The job marks its row as it starts: nothing more to write here.
        return send_to_rq(job, settings.redis_url, relaying=relaying)
    if _run_inline(job):
        mark_dispatched(job_id)
        return True
    return False


def mark_dispatched(job_id: int) -> None:
    """Conditional, so two runners of one row mark it once."""
    db.session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == job_id, OutboxJob.dispatched_at.is_(None))
        .values(dispatched_at=db.utcnow())
    )
    db.session.commit()


def _run_inline(job: OutboxJob) -> bool:
    func, args, job_id, seen = job.func, list(job.args), job.id, job.attempts
    # Claim the run: of two runners that read the same row, one moves it on and runs it.
    claimed = db.conditional_update(
        update(OutboxJob)
        .where(
            OutboxJob.id == job_id,
            OutboxJob.dispatched_at.is_(None),
            OutboxJob.attempts == seen,
        )
        .values(attempts=seen + 1)
    )
    db.session.commit()
    if not claimed:
        return False
    db.session.expire_all()  # the job reads the rows afresh, as a worker would
    try:
        resolve(func)(*args)
    except Exception as exc:  # a failed job stays pending, to be tried again
        log.exception("job %s (outbox %s) failed", func, job_id)
        db.session.rollback()
        db.session.execute(
            update(OutboxJob).where(OutboxJob.id == job_id).values(last_error=repr(exc)[:500])
        )
        db.session.commit()
        return False
    return True
