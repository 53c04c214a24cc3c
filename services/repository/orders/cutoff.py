"""Order windows that close at a daily local cut-off time in the region's zone.

An order placed at instant t belongs to the window that closes at the first
local cut-off strictly after t. Cut-offs are computed on local calendar dates
and then converted to UTC, so they stay at the same wall-clock time across
DST changes; a cut-off inside a DST gap moves forward by the gap's length.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_cutoff_instant(day: date, cutoff: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of the cut-off on a local calendar day."""
    naive = datetime.combine(day, cutoff)
    # fold=0: an ambiguous wall time takes its first occurrence, and a wall
    # time inside a DST gap is read with the pre-gap offset (shifted forward).
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def window_closing_after(instant: datetime, cutoff: time, zone: ZoneInfo) -> datetime:
    """The UTC cut-off of the window an order placed at `instant` falls into."""
    local_day = instant.astimezone(zone).date()
    for offset in range(3):
        closing = local_cutoff_instant(local_day + timedelta(days=offset), cutoff, zone)
        if closing > instant:
            return closing
    raise AssertionError("a daily cut-off always falls within two days")


def window_key(instant: datetime, cutoff: time, zone: ZoneInfo) -> date:
    """The local date whose cut-off closes the window holding `instant`."""
    return window_closing_after(instant, cutoff, zone).astimezone(zone).date()
