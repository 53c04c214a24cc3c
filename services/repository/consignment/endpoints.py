"""Consignment to the livestream base: the operator moves warehouse stock to the base."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from services.repository.consignment import service
from services.repository.consignment.schemas import (
    ConsignmentReturn,
    ConsignmentTransfer,
    ConsignmentTransferCreate,
)
from services.repository.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-consignment"])
TRANSFERS_QUERY = list_query(service.TRANSFER_SORT_FIELDS, default="-at", default_limit=50)
RETURNS_QUERY = list_query(service.RETURN_SORT_FIELDS, default="-at", default_limit=50)


@router.post(
    "/consignment/transfers",
    response_model=ConsignmentTransfer,
    status_code=201,
    summary="Operator: send cases from a warehouse to the livestream base (consignment)",
)
async def transfer_to_base(
    body: ConsignmentTransferCreate, session: SessionDep, principal: CurrentPrincipal
):
    return await service.transfer_to_base(session, principal, body)


@router.get(
    "/consignment/transfers",
    response_model=Page[ConsignmentTransfer],
    responses={403: {}, 422: {}},
    summary="Operator: the region's transfers to the base",
)
async def list_transfers(
    q: Annotated[ListQuery, Depends(TRANSFERS_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID,
):
    """Newest first (`sort=at` for the oldest first)."""
    rows, next_cursor = await service.list_transfers(session, principal, region_id, q)
    return Page[ConsignmentTransfer](
        items=[ConsignmentTransfer.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/consignment/transfers/{transfer_id}", response_model=ConsignmentTransfer)
async def get_transfer(transfer_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_transfer(session, principal, transfer_id)


@router.get(
    "/consignment/returns",
    response_model=Page[ConsignmentReturn],
    responses={403: {}, 422: {}},
    summary="Operator: goods the base sent back, and what went back into stock",
)
async def list_returns(
    q: Annotated[ListQuery, Depends(RETURNS_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID,
):
    """Newest first (`sort=at` for the oldest first)."""
    rows, next_cursor = await service.list_returns(session, principal, region_id, q)
    return Page[ConsignmentReturn](
        items=[ConsignmentReturn.model_validate(r) for r in rows], next_cursor=next_cursor
    )
