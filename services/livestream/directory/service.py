"""Learning other services' facts from their events."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.directory.models import DEFAULT_TIMEZONE
from services.livestream.directory.repository import DirectoryRepository
from shared.db import utcnow
from shared.events import Event


def _valid_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


async def record_region(session: AsyncSession, event: Event) -> None:
    data = event.data
    if data.get("region_id") and _valid_zone(data.get("timezone")):
        await DirectoryRepository(session).upsert_region(
            uuid.UUID(data["region_id"]), data["timezone"]
        )


async def record_organisation(session: AsyncSession, event: Event) -> None:
    data = event.data
    await record_region(session, event)
    if not data.get("organisation_id") or not data.get("region_id"):
        return
    status = {"approved": "active", "suspended": "suspended"}.get(
        event.type.rsplit(".", 1)[-1], data.get("status", "active")
    )
    await DirectoryRepository(session).upsert_organisation(
        id=uuid.UUID(data["organisation_id"]),
        region_id=uuid.UUID(data["region_id"]),
        kind=data.get("kind", ""),
        name=(data.get("name") or "")[:200],
        status=status,
    )


async def record_supplier(session: AsyncSession, event: Event, status: str) -> None:
    data = event.data
    await DirectoryRepository(session).upsert_supplier(
        id=uuid.UUID(data["supplier_id"]), region_id=uuid.UUID(data["region_id"]), status=status
    )


async def record_product(session: AsyncSession, event: Event) -> uuid.UUID:
    data = event.data
    product_id = uuid.UUID(data["product_id"])
    repo = DirectoryRepository(session)
    if event.type == "catalog.product.delisted":
        found = await repo.product(product_id)
        if found is not None:
            found.on_sale = False
            found.updated_at = utcnow()
        return product_id
    await repo.upsert_product(
        id=product_id,
        region_id=uuid.UUID(data["region_id"]),
        supplier_id=uuid.UUID(data["supplier_id"]),
        name=(data.get("name") or "")[:200],
        brand=data.get("brand"),
        category=data.get("category"),
        on_sale=True,
        updated_at=utcnow(),
    )
    return product_id


async def timezone_of(session: AsyncSession, region_id: uuid.UUID) -> str:
    region = await DirectoryRepository(session).region(region_id)
    return region.timezone if region else DEFAULT_TIMEZONE


async def supplier_in_standing(session: AsyncSession, supplier_id: uuid.UUID) -> bool:
    """A supplier suspended by the suppliers service is out; unknown means not suspended."""
    found = await DirectoryRepository(session).supplier(supplier_id)
    return found is None or found.status == "active"
