"""Queue names and the back-off between tries of a failed job, in one place."""

CHECKS = "checks"
MAIL = "mail"
MAINTENANCE = "maintenance"
ALL = (CHECKS, MAIL, MAINTENANCE)

# Seconds between tries of a failed job (RQ and the in-process worker alike); after the last
# the job is given up and the domain sweeps (app/schedule.py) pick the work up again.
RETRY_INTERVALS = (10, 30, 60, 300, 900)
