"""When a document's expiry warrants a warning (pure; the daily job applies it)."""

from __future__ import annotations

from datetime import date

WARNING_DAYS = (30, 7)


def warning_due(valid_until: date | None, today: date) -> str | None:
    """The warning to send on `today` for a document valid until `valid_until`, if any.

    Windows rather than exact days, so a job that missed a day still warns: 8-30 days
    left is the 30-day warning, 0-7 days left the 7-day warning; expired documents get
    `expired`. The caller stores one notification per (document, kind).
    """
    if valid_until is None:
        return None
    days_left = (valid_until - today).days
    if days_left < 0:
        return "expired"
    if days_left <= WARNING_DAYS[1]:
        return "expires_in_7_days"
    if days_left <= WARNING_DAYS[0]:
        return "expires_in_30_days"
    return None
