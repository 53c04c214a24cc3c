from __future__ import annotations

import uuid

from fastapi import Query

from services.suppliers.db import kernel
from services.suppliers.households import service
from services.suppliers.households.schemas import (
    HouseholdLinkCreate,
    HouseholdLinkEnd,
    HouseholdLinkList,
    HouseholdLinkRecord,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/suppliers", tags=["suppliers-households"])


@router.get(
    "/{supplier_id}/households", response_model=HouseholdLinkList, responses={403: {}, 404: {}}
)
async def list_household_links(
    supplier_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    include_ended: bool = Query(True, description="false: current links only"),
) -> HouseholdLinkList:
    """The supplier's household links and their history (the county's operator)."""
    links = await service.list_links(session, principal, supplier_id, include_ended=include_ended)
    return HouseholdLinkList(items=[HouseholdLinkRecord.model_validate(h) for h in links])


@router.post(
    "/{supplier_id}/households",
    status_code=201,
    response_model=HouseholdLinkRecord,
    responses={403: {}, 404: {}, 409: {}},
)
async def add_household_link(
    supplier_id: uuid.UUID,
    body: HouseholdLinkCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> HouseholdLinkRecord:
    """Link a poverty-alleviated or monitored household, in any status of the supplier."""
    link = await service.add_link(session, principal, supplier_id, body)
    return HouseholdLinkRecord.model_validate(link)


@router.post(
    "/{supplier_id}/households/{link_id}/end",
    response_model=HouseholdLinkRecord,
    responses={403: {}, 404: {}, 409: {}, 422: {}},
)
async def end_household_link(
    supplier_id: uuid.UUID,
    link_id: uuid.UUID,
    body: HouseholdLinkEnd,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> HouseholdLinkRecord:
    """End a household link (it stays in the history with who, when and why)."""
    link = await service.end_link(session, principal, supplier_id, link_id, body)
    return HouseholdLinkRecord.model_validate(link)
