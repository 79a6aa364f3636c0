"""Queue names and the back-off between tries of a failed job, in one place."""

CHECKS = "checks"
MAIL = "mail"
MAINTENANCE = "maintenance"
ALL = (CHECKS, MAIL, MAINTENANCE)

# Seconds between tries of a failed job (RQ and the in-process worker alike); after the last
# the job is given up and the domain sweeps (app/schedule.py) pick the work up again.
RETRY_INTERVALS = (10, 30, 60, 300, 900)

# How long one job may run before RQ stops it. A check runs a child of at most 120 s for each
# document of a set (20 at most) and scans each; the rest are quick.
JOB_TIMEOUTS = {CHECKS: 3600, MAIL: 300, MAINTENANCE: 1800}
