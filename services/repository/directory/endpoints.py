from __future__ import annotations

import uuid

from services.repository.db import kernel
from services.repository.directory import service
from services.repository.directory.schemas import OrderableVariant, RegionRules, RegionRulesUpdate
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-regions"])


@router.get("/regions/{region_id}/rules", response_model=RegionRules, responses={404: {}})
async def get_region_rules(region_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """The region's order cut-off (local time), reservation hold and closing delay."""
    return await service.visible_region_rules(session, principal, region_id)


@router.put("/regions/{region_id}/rules", response_model=RegionRules, responses={403: {}, 422: {}})
async def update_region_rules(
    region_id: uuid.UUID, body: RegionRulesUpdate, principal: CurrentPrincipal, session: SessionDep
):
    """The region's operator sets when each day's order window closes (local time)."""
    return await service.update_region_rules(
        session,
        principal,
        region_id,
        cutoff_time=body.cutoff_time,
        reservation_minutes=body.reservation_minutes,
        close_after_hours=body.close_after_hours,
    )


@router.get("/variants/{variant_id}", response_model=OrderableVariant, responses={404: {}})
async def get_variant(variant_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """A catalog variant as the repository knows it (to its supplier and the operator)."""
    return await service.visible_variant(session, principal, variant_id)
