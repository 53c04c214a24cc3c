"""The region's local calendar (pure): months and days begin at local midnight.

Times are stored in UTC; a statement month or a credit term is counted in the region's
own calendar, so an order placed at 23:30 local time on the last day of a month belongs
to that month even where UTC (or Shanghai) already shows the next one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def month_bounds(month: str, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants at which the calendar month "2026-11" begins and ends in `tz`.

    Raises ValueError for anything that is not a month."""
    start = date.fromisoformat(f"{month}-01")
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return _local_midnight(start, tz), _local_midnight(end, tz)


def _local_midnight(day: date, tz: str) -> datetime:
    # in UTC: arithmetic between two aware times of one zone ignores a change of offset
    return datetime.combine(day, time(), ZoneInfo(tz)).astimezone(UTC)


def month_of(instant: datetime, tz: str) -> str:
    """The local calendar month ("2026-11") an instant falls in."""
    return instant.astimezone(ZoneInfo(tz)).strftime("%Y-%m")


def local_date(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def overdue_before(now: datetime, tz: str, terms_days: int) -> datetime:
    """Credit orders placed before this instant are past their terms (账期).

    An order placed on local day D is due by the end of local day D + terms: so it is
    overdue once today's local date is later than that, i.e. when it was placed before
    local midnight of (today - terms)."""
    first_day_still_in_terms = local_date(now, tz) - timedelta(days=terms_days)
    return _local_midnight(first_day_still_in_terms, tz)


def event_instant(value: object) -> datetime | None:
    """An ISO 8601 instant from an event; one without an offset is taken as UTC."""
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
