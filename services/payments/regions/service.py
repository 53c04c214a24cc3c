"""The region's time zone, learnt from identity's organisation events.

Statements and credit terms count days and months in the region's own calendar; the
region read model says which calendar that is.
"""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.regions.models import DEFAULT_TIMEZONE
from services.payments.regions.repository import RegionRepository
from shared.events import Event

log = structlog.get_logger(__name__)


async def record_region(session: AsyncSession, event: Event) -> None:
    """identity.organisation.approved / suspended: every organisation event names its
    region's time zone; the latest one seen is kept."""
    data = event.data
    if not data.get("region_id") or not data.get("timezone"):
        return
    try:
        ZoneInfo(str(data["timezone"]))
    except (ZoneInfoNotFoundError, ValueError):
        # retrying cannot make an unknown zone valid: keep what we have and say so
        log.warning("payments.region_timezone_unknown", timezone=data["timezone"])
        return
    await RegionRepository(session).upsert(uuid.UUID(str(data["region_id"])), str(data["timezone"]))


async def timezone_of(session: AsyncSession, region_id: uuid.UUID | None) -> str:
    region = await RegionRepository(session).get(region_id) if region_id is not None else None
    return region.timezone if region is not None else DEFAULT_TIMEZONE


async def buyer_region(session: AsyncSession, buyer_org_id: uuid.UUID) -> uuid.UUID | None:
    return await RegionRepository(session).region_of_buyer(buyer_org_id)
