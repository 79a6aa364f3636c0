"""How times and sizes read on a page: the office's local time first, sizes in MB or KB."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

MB = 1024 * 1024  # as the limits are counted (config: ESERVICE_MAX_DOCUMENT_MB)


def _zone(office: Any) -> ZoneInfo | None:
    """The zone of an office (anything with ``.timezone``) or a zone name; None for UTC only."""
    name = getattr(office, "timezone", office)
    if not name or not isinstance(name, str):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _clock(dt: datetime) -> str:
    return f"{dt.hour % 12 or 12}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def _as_utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def local_time(dt: datetime | None, office: Any = None) -> str:
    """``Mon 23 Nov 2026, 2:05 PM EST (7:05 PM UTC)``: the office's time first, then UTC; the
    UTC date too when the two days differ. Without an office, UTC alone."""
    if dt is None:
        return "—"
    utc = _as_utc(dt)
    zone = _zone(office)
    if zone is None:
        return f"{utc:%a} {utc.day} {utc:%b %Y}, {_clock(utc)} UTC"
    local = utc.astimezone(zone)
    first = f"{local:%a} {local.day} {local:%b %Y}, {_clock(local)} {local.tzname()}"
    utc_day = "" if utc.date() == local.date() else f"{utc:%a} {utc.day} {utc:%b}, "
    return f"{first} ({utc_day}{_clock(utc)} UTC)"


def utc_iso(dt: datetime | None) -> str:
    """The machine-readable time for a ``<time datetime>`` attribute."""
    return "" if dt is None else _as_utc(dt).isoformat(timespec="seconds").replace("+00:00", "Z")


def size_mb(n: int | None) -> str:
    """``2.4 MB``; under 0.1 MB in KB (``83 KB``), never ``0 KB`` for a non-empty file."""
    if n is None:
        return "—"
    if n < MB / 10:
        return "0 KB" if n == 0 else f"{max(1, round(n / 1024))} KB"
    mb = n / MB
    return f"{mb:.1f} MB" if mb < 100 else f"{mb:.0f} MB"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["utc_iso"] = utc_iso
    app.jinja_env.filters["size_mb"] = size_mb
