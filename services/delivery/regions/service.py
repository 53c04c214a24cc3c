"""The region's time zone, learnt from identity's organisation events."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.regions.models import DEFAULT_TIMEZONE
from services.delivery.regions.repository import RegionRepository
from shared.events import Event


async def record_region(session: AsyncSession, event: Event) -> None:
    data = event.data
    if not data.get("region_id") or not data.get("timezone"):
        return
    try:
        ZoneInfo(data["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        return
    await RegionRepository(session).upsert(uuid.UUID(data["region_id"]), data["timezone"])


async def timezone_of(session: AsyncSession, region_id: uuid.UUID) -> str:
    region = await RegionRepository(session).get(region_id)
    return region.timezone if region else DEFAULT_TIMEZONE


async def today_in(session: AsyncSession, region_id: uuid.UUID) -> date:
    """Today's date in the region's time zone (business days are local)."""
    return datetime.now(ZoneInfo(await timezone_of(session, region_id))).date()
