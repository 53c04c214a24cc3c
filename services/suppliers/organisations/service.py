"""Keeping the read model of supplier organisations that identity owns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.organisations.models import DEFAULT_TIMEZONE, SupplierOrganisation
from services.suppliers.organisations.repository import OrganisationRepository
from shared.events import Event
from shared.state_machine import machine

# identity owns an organisation's lifecycle and decides its transitions; this read model
# follows what identity's events say, each change recorded (which event, when) like any other
ORGANISATION_STATUSES = ("pending", "active", "rejected", "suspended")
ORGANISATION_COPY = machine(
    "supplier_organisation",
    [
        (src, f"became_{dst}", dst)
        for src in ORGANISATION_STATUSES
        for dst in ORGANISATION_STATUSES
        if src != dst
    ],
)


async def record_organisation(session: AsyncSession, event: Event) -> SupplierOrganisation | None:
    """Upsert the organisation from an identity.organisation.* event (supplier kinds only)."""
    data = event.data
    if data.get("kind") != "supplier":
        return None
    repo = OrganisationRepository(session)
    org_id = uuid.UUID(data["organisation_id"])
    org = await repo.get(org_id)
    if org is None:
        org = SupplierOrganisation(
            id=org_id, region_id=uuid.UUID(data["region_id"]), name="", status=data["status"]
        )
        repo.add(org)
    elif org.status != data["status"]:
        await ORGANISATION_COPY.apply(
            session,
            org,
            f"became_{data['status']}",
            actor_id=None,
            reason=data.get("reason") or event.type,
            data={"event_id": str(event.id), "action": data.get("action")},
        )
    org.name = data["name"]
    org.timezone = _valid_zone(data.get("timezone")) or org.timezone or DEFAULT_TIMEZONE
    return org


def _valid_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


async def region_today(session: AsyncSession, region_id: uuid.UUID) -> date:
    """Today's date in the region (validity and expiry are counted in local days)."""
    zone = await OrganisationRepository(session).timezone_of_region(region_id)
    return datetime.now(ZoneInfo(zone or DEFAULT_TIMEZONE)).date()
