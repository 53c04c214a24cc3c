"""Consignment to the livestream base: the operator moves warehouse stock to the base."""

from __future__ import annotations

import uuid

from services.repository.consignment import service
from services.repository.consignment.schemas import (
    ConsignmentReturn,
    ConsignmentTransfer,
    ConsignmentTransferCreate,
)
from services.repository.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-consignment"])


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
    response_model=list[ConsignmentTransfer],
    summary="Operator: the region's transfers to the base",
)
async def list_transfers(session: SessionDep, principal: CurrentPrincipal, region_id: uuid.UUID):
    return await service.list_transfers(session, principal, region_id)


@router.get("/consignment/transfers/{transfer_id}", response_model=ConsignmentTransfer)
async def get_transfer(transfer_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_transfer(session, principal, transfer_id)


@router.get(
    "/consignment/returns",
    response_model=list[ConsignmentReturn],
    summary="Operator: goods the base sent back, and what went back into stock",
)
async def list_returns(session: SessionDep, principal: CurrentPrincipal, region_id: uuid.UUID):
    return await service.list_returns(session, principal, region_id)
