"""The base's figures for the operator (its region) and a streamer (its own): GMV per
session, streamer, product and local day; sample-to-session conversion; the peak of
sessions live at once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.directory.service import timezone_of
from services.livestream.figures import rules
from services.livestream.figures.repository import FiguresRepository
from services.livestream.figures.schemas import (
    GmvFigures,
    GmvRow,
    LivePeak,
    SampleConversion,
    SampleConversionRow,
)
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Forbidden, RuleViolation


def _ensure_member_of_region(principal: Principal, region_id: uuid.UUID) -> None:
    """The region's operator, or a member of an organisation of the region (who then sees
    only its own figures through the readable clauses)."""
    if principal.platform_admin or principal.is_operator_of(region_id):
        return
    if not any(m.region_id == region_id for m in principal.memberships):
        raise Forbidden("Only the region's operator and its own members see its figures")


async def gmv(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    by: str,
    start: datetime | None,
    end: datetime | None,
) -> GmvFigures:
    _ensure_member_of_region(principal, region_id)
    timezone = await timezone_of(session, region_id)
    rows = await FiguresRepository(session).gmv(principal, region_id, by, timezone, start, end)
    return GmvFigures(
        region_id=region_id,
        by=by,  # type: ignore[arg-type]
        rows=[GmvRow(key=k, lines=n, quantity=q, paid_fen=p, gmv_fen=g) for k, n, q, p, g in rows],
    )


async def sample_conversion(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> SampleConversion:
    _ensure_member_of_region(principal, region_id)
    rows = await FiguresRepository(session).sample_conversion(principal, region_id)
    received = sum(r for _, r, _ in rows)
    featured = sum(f for _, _, f in rows)
    return SampleConversion(
        region_id=region_id,
        received=received,
        featured=featured,
        conversion_bps=rules.conversion_bps(received, featured),
        streamers=[
            SampleConversionRow(
                streamer_id=s, received=r, featured=f, conversion_bps=rules.conversion_bps(r, f)
            )
            for s, r, f in sorted(rows, key=lambda row: str(row[0]))
        ],
    )


async def live_peak(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    start: datetime | None,
    end: datetime | None,
) -> LivePeak:
    _ensure_member_of_region(principal, region_id)
    now = utcnow()
    end = end or now
    start = start or end - timedelta(days=30)
    if start >= end:
        raise RuleViolation("The window starts before it ends")
    windows = await FiguresRepository(session).live_windows(principal, region_id, start, end)
    clipped = [(max(s, start), min(e or now, end)) for s, e in windows]
    most, at = rules.peak([w for w in clipped if w[0] < w[1]])
    return LivePeak(
        region_id=region_id, starts=start, ends=end, peak=most, at=at, sessions=len(windows)
    )
