"""The job machinery: jobs are queued through an outbox row written in the caller's transaction
and sent on only after that transaction commits, so a job never runs before its rows exist and a
commit that fails leaves no job behind.

Embedded default (no ``ESERVICE_REDIS_URL``): jobs queued by a web request run after the
response in a worker thread of the same process (``workers/local.py``); ``ESERVICE_JOB_RUNNER=
inline`` runs them in the caller instead. With Redis configured, they go to RQ queues for
``rq worker`` processes.
"""

from __future__ import annotations

from workers.outbox import OutboxJob, commit, enqueue, run_pending
from workers.queues import CHECKS, MAIL, MAINTENANCE

__all__ = ["CHECKS", "MAIL", "MAINTENANCE", "OutboxJob", "commit", "enqueue", "run_pending"]
