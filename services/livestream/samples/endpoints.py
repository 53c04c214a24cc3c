from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends

from services.livestream.db import kernel
from services.livestream.samples import service
from services.livestream.samples.schemas import (
    QuotaBandsWrite,
    Sample,
    SampleCreate,
    SampleDecision,
    SampleQuotaBands,
    SampleShipment,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-samples"])
SAMPLES_QUERY = list_query(service.SAMPLE_SORT_FIELDS, default="requested_at", default_limit=50)
Status = Literal[
    "requested",
    "approved",
    "rejected",
    "expired",
    "shipped",
    "received",
    "featured",
    "overdue",
    "returned",
]


def bands_out(region_id: uuid.UUID, bands) -> SampleQuotaBands:
    return SampleQuotaBands(
        region_id=region_id,
        bands=[{"min_gmv_30d_fen": a, "monthly_quota": b} for a, b in bands],
    )


@router.get(
    "/sample-quota-bands",
    response_model=SampleQuotaBands,
    summary="The region's monthly quota by GMV band",
)
async def get_bands(region_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return bands_out(region_id, await service.get_bands(session, region_id))


@router.put(
    "/sample-quota-bands", response_model=SampleQuotaBands, summary="Operator: set the quota bands"
)
async def put_bands(body: QuotaBandsWrite, session: SessionDep, principal: CurrentPrincipal):
    return bands_out(body.region_id, await service.set_bands(session, principal, body))


@router.post(
    "/samples", response_model=Sample, status_code=201, summary="Streamer: request a sample"
)
async def request_sample(body: SampleCreate, session: SessionDep, principal: CurrentPrincipal):
    return await service.request_sample(session, principal, body)


@router.get("/samples", response_model=Page[Sample], summary="Sample requests I may see")
async def list_samples(
    q: Annotated[ListQuery, Depends(SAMPLES_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Status | None = None,
):
    """A streamer its own requests, a supplier those for its products, the operator the
    region's."""
    rows, next_cursor = await service.list_samples(session, principal, status, q)
    return Page[Sample](items=[Sample.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/samples/{sample_id}", response_model=Sample)
async def get_sample(sample_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_sample(session, principal, sample_id)


@router.post("/samples/{sample_id}/approve", response_model=Sample, summary="Supplier: approve")
async def approve(
    sample_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: SampleDecision | None = None,
):
    return await service.supplier_action(
        session, principal, sample_id, "approve", body.reason if body else None
    )


@router.post("/samples/{sample_id}/reject", response_model=Sample, summary="Supplier: reject")
async def reject(
    sample_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: SampleDecision | None = None,
):
    return await service.supplier_action(
        session, principal, sample_id, "reject", body.reason if body else None
    )


@router.post(
    "/samples/{sample_id}/ship", response_model=Sample, summary="Supplier: shipped, with tracking"
)
async def ship(
    sample_id: uuid.UUID, body: SampleShipment, session: SessionDep, principal: CurrentPrincipal
):
    return await service.supplier_action(session, principal, sample_id, "ship", shipment=body)


@router.post(
    "/samples/{sample_id}/{action}", response_model=Sample, summary="Streamer: receive or return"
)
async def streamer_action(
    sample_id: uuid.UUID,
    action: Literal["receive", "return"],
    session: SessionDep,
    principal: CurrentPrincipal,
):
    return await service.streamer_action(session, principal, sample_id, action)
