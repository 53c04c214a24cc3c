"""Pure rules of room bookings (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MAX_BOOKING = timedelta(hours=12)


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def within_opening_hours(
    starts_at: datetime, ends_at: datetime, opens_at: str, closes_at: str, timezone: str
) -> bool:
    """Both ends fall inside the same local day's opening window."""
    zone = ZoneInfo(timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    day_start = start.replace(hour=0, minute=0, second=0, microsecond=0)
    open_at = day_start + timedelta(minutes=minutes(opens_at))
    close_at = day_start + timedelta(minutes=minutes(closes_at))
    return open_at <= start and end <= close_at
