"""OCC (OPLA) field offices: the places a filing is served on, and where staff work."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from app import db

# The OPLA field locations, by the immigration courts they cover, with the local time zone that
# a receipt shows next to UTC.
FIELD_OFFICES: tuple[tuple[str, str, str], ...] = (
    ("ATL", "Atlanta", "America/New_York"),
    ("BAL", "Baltimore", "America/New_York"),
    ("BOS", "Boston", "America/New_York"),
    ("BUF", "Buffalo", "America/New_York"),
    ("CHI", "Chicago", "America/Chicago"),
    ("DAL", "Dallas", "America/Chicago"),
    ("DEN", "Denver", "America/Denver"),
    ("DET", "Detroit", "America/Detroit"),
    ("ELP", "El Paso", "America/Denver"),
    ("HLG", "Harlingen", "America/Chicago"),
    ("HOU", "Houston", "America/Chicago"),
    ("KAN", "Kansas City", "America/Chicago"),
    ("LOS", "Los Angeles", "America/Los_Angeles"),
    ("MEM", "Memphis", "America/Chicago"),
    ("MIA", "Miami", "America/New_York"),
    ("NOL", "New Orleans", "America/Chicago"),
    ("NYC", "New York City", "America/New_York"),
    ("NEW", "Newark", "America/New_York"),
    ("ORL", "Orlando", "America/New_York"),
    ("PHI", "Philadelphia", "America/New_York"),
    ("PHO", "Phoenix", "America/Phoenix"),
    ("SLC", "Salt Lake City", "America/Denver"),
    ("SNA", "San Antonio", "America/Chicago"),
    ("SND", "San Diego", "America/Los_Angeles"),
    ("SFR", "San Francisco", "America/Los_Angeles"),
    ("SEA", "Seattle", "America/Los_Angeles"),
    ("SPM", "St. Paul", "America/Chicago"),
    ("WAS", "Washington (Arlington)", "America/New_York"),
)


class Office(db.Base):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


def seed_offices() -> int:
    """Insert the field offices that are missing; return how many were added. Caller commits."""
    existing = set(db.session.scalars(select(Office.code)))
    added = 0
    for code, name, tz in FIELD_OFFICES:
        if code not in existing:
            db.session.add(Office(code=code, name=f"OCC {name}", timezone=tz))
            added += 1
    return added


def all_offices() -> list[Office]:
    return list(db.session.scalars(select(Office).order_by(Office.name)))


def office_by_code(code: str) -> Office | None:
    return db.session.scalar(select(Office).where(Office.code == code.strip().upper()))
