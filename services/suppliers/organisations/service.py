"""Keeping the read model of supplier organisations that identity owns."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.organisations.models import SupplierOrganisation
from services.suppliers.organisations.repository import OrganisationRepository
from shared.events import Event


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
            id=org_id, region_id=uuid.UUID(data["region_id"]), name="", status=""
        )
        repo.add(org)
    org.name = data["name"]
    org.status = data["status"]
    return org
