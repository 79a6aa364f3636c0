"""Periodic jobs, as data: (dotted job path, queue, every N seconds). The scheduler process
(``flask --app wsgi scheduler``) enqueues each when due; on the embedded default the job thread
of each web process runs them (workers/local.py). Every one is safe to run twice."""

from __future__ import annotations

from workers.queues import MAINTENANCE

SCHEDULE: tuple[tuple[str, str, int], ...] = (
    # Filings still `received` long after their check should have run (a worker died, a job
    # failed for good): queue the check again.
    ("filings.jobs.sweep_stale_filings", MAINTENANCE, 60),
    # Notices not sent long after they were written: queue the delivery again.
    ("app.notifications.sweep_unsent", MAINTENANCE, 60),
    # Stored bytes that belong to no document (a commit failed after storing): remove them.
    ("filings.jobs.sweep_orphaned_documents", MAINTENANCE, 3600),
    # Check-before-you-serve reports: given up when their job was lost, deleted after a week.
    ("filings.jobs.sweep_file_checks", MAINTENANCE, 600),
    # Sets in progress untouched for a day: removed with their files.
    ("filings.drafts.purge_expired", MAINTENANCE, 600),
    # Notices of staff decisions whose undo window has closed (never of an undone one).
    ("filings.decision_notices.send_due_notices", MAINTENANCE, 30),
    # Signed receipts the time-stamping authority has not stamped yet (it was down).
    ("filings.signed_receipts.sweep_untimestamped", MAINTENANCE, 300),
    # Sets OCC served still `received` long after their check should have run.
    ("filings.occ_service_jobs.sweep_stale_services", MAINTENANCE, 60),
    # Served documents whose stamped copy was lost with its worker: queue the stamp again.
    ("filings.stamp_job.sweep_unstamped", MAINTENANCE, 600),
)
