"""Queue names, in one place."""

CHECKS = "checks"
MAIL = "mail"
MAINTENANCE = "maintenance"
ALL = (CHECKS, MAIL, MAINTENANCE)
