"""Pure rules of sample requests (申样).

- Automatic approval when the streamer meets every threshold of the product's sample rule
  (followers of its largest account, 30-day GMV, platform level); otherwise the supplier
  decides within 7 days or the request expires.
- Monthly quota by 30-day GMV band (TikTok Shop's 5 / 20 / 50), configurable per region;
  a month is the region's local calendar month; rejected and expired requests do not count.
- After receipt the product is featured in a session within 14 days, else overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

DECISION_WINDOW = timedelta(days=7)
FEATURE_WINDOW = timedelta(days=14)
# (minimum 30-day GMV in fen, monthly quota): below 1万元 5 a month, from 1万 20, from 10万 50
DEFAULT_BANDS: tuple[tuple[int, int], ...] = ((0, 5), (1_000_000, 20), (10_000_000, 50))
OPEN_STATES = ("requested", "approved", "shipped", "received")
COUNTED_STATES = ("requested", "approved", "shipped", "received", "featured", "overdue", "returned")


@dataclass(frozen=True)
class Thresholds:
    min_followers: int
    min_gmv_30d_fen: int
    min_level: int


def meets(thresholds: Thresholds, followers: int, gmv_30d_fen: int, level: int) -> bool:
    return (
        followers >= thresholds.min_followers
        and gmv_30d_fen >= thresholds.min_gmv_30d_fen
        and level >= thresholds.min_level
    )


def monthly_quota(gmv_30d_fen: int, bands: Sequence[tuple[int, int]] = DEFAULT_BANDS) -> int:
    quota = 0
    for floor, allowed in sorted(bands):
        if gmv_30d_fen >= floor:
            quota = allowed
    return quota


def local_month(at: datetime, timezone: str) -> tuple[datetime, datetime]:
    """[start, end) of the local calendar month containing `at`, as aware datetimes."""
    zone = ZoneInfo(timezone)
    local = at.astimezone(zone)
    start = datetime(local.year, local.month, 1, tzinfo=zone)
    end = datetime(local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=zone)
    return start, end
