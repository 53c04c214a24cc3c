from __future__ import annotations

import uuid

from fastapi import Depends

from services.identity.db import kernel
from services.identity.regions import service
from services.identity.regions.schemas import Region, RegionCreate
from shared.auth.dependencies import require_platform_admin
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/identity/regions", tags=["identity-regions"])


@router.post(
    "", status_code=201, response_model=Region, dependencies=[Depends(require_platform_admin())]
)
async def create_region(body: RegionCreate, session: SessionDep) -> Region:
    """Create a county (platform administrators only)."""
    return Region.model_validate(await service.create_region(session, body))


# An array, not a page: the counties one deployment serves are a handful, and sign-up
# shows them all in one picker.
@router.get("", response_model=list[Region])
async def list_regions(session: SessionDep) -> list[Region]:
    """Counties served by this deployment (public: sign-up needs them)."""
    return [Region.model_validate(r) for r in await service.list_regions(session)]


@router.get("/{region_id}", response_model=Region)
async def get_region(region_id: uuid.UUID, session: SessionDep) -> Region:
    return Region.model_validate(await service.get_region(session, region_id))
